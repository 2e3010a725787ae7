# Server certificates on the ServerManager path: the machine's store (Cert:\LocalMachine\STORE),
# the checks of src/certificates/judge.ts (same codes, same messages), and certificate renewal
# (src/api/rotate.ts) planned on a ServerManager snapshot. The Node CLI path runs
# 'iis-ftps rotate-cert' instead (NodeCli.ps1).

$script:IisFtpsServerAuthOid = '1.3.6.1.5.5.7.3.1'
$script:IisFtpsAnyEkuOid = '2.5.29.37.0'

function Test-IisFtpsCertificateStoreVisible {
    <#
    Whether the machine's certificate store can be looked at: live IIS (no -ConfigPath) on a
    machine with PowerShell's Cert: drive (Windows). A configuration file may come from another
    machine, so its certificates are not looked for in this one's store.
    #>
    param([string] $ConfigPath)
    if ($ConfigPath) { return $false }
    return ($null -ne (Get-PSDrive -Name Cert -PSProvider Certificate -ErrorAction SilentlyContinue))
}

function ConvertTo-IisFtpsCertificateInfo {
    <#
    What the checks need of an X509Certificate2, as the live engine's findCertificate and
    src/certificates/file.ts answer it: @{ thumbprint; store; subject; notBefore; notAfter;
    hasPrivateKey; enhancedKeyUsages } (-Store and hasPrivateKey left out for a certificate file,
    which carries no key: its key is not checked).
    #>
    param([Parameter(Mandatory)] [System.Security.Cryptography.X509Certificates.X509Certificate2] $Certificate, [string] $Store)
    $eku = @($Certificate.Extensions | Where-Object { $_ -is [System.Security.Cryptography.X509Certificates.X509EnhancedKeyUsageExtension] })
    $usages = $null
    if ($eku.Count -gt 0) { $usages = @($eku[0].EnhancedKeyUsages | ForEach-Object { $_.Value }) }
    $facts = [ordered]@{ thumbprint = $Certificate.Thumbprint.ToUpperInvariant() }
    if ($Store) { $facts.store = $Store }
    $facts.subject = $Certificate.Subject
    $facts.notBefore = $Certificate.NotBefore.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ss.fffZ', [System.Globalization.CultureInfo]::InvariantCulture)
    $facts.notAfter = $Certificate.NotAfter.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ss.fffZ', [System.Globalization.CultureInfo]::InvariantCulture)
    if ($Store) { $facts.hasPrivateKey = [bool]$Certificate.HasPrivateKey }
    $facts.enhancedKeyUsages = $usages
    return [pscustomobject]$facts
}

function Get-IisFtpsStoreCertificate {
    <#
    A certificate in Cert:\LocalMachine\STORE as the live engine's findCertificate answers it, or
    $null when it is not there. Without -StoreName: My, then WebHosting.
    #>
    param([Parameter(Mandatory)] [string] $Thumbprint, [string] $StoreName)
    $stores = $(if ($StoreName) { @($StoreName) } else { @('My', 'WebHosting') })
    foreach ($store in $stores) {
        $path = 'Cert:\LocalMachine\{0}\{1}' -f $store, $Thumbprint.ToUpperInvariant()
        if (-not (Test-Path -LiteralPath $path)) { continue }
        return (ConvertTo-IisFtpsCertificateInfo -Certificate (Get-Item -LiteralPath $path) -Store $store)
    }
    return $null
}

function Read-IisFtpsCertificateFile {
    <#
    A .cer, .crt or .pem file (DER, or the first CERTIFICATE block of a PEM file: a full-chain PEM
    lists the server's own certificate first) as certificate facts, by the rules of
    src/certificates/file.ts. Unreadable or not a certificate: CERTIFICATE_FILE_INVALID.
    #>
    param([Parameter(Mandatory)] [string] $Path)
    try { $bytes = [System.IO.File]::ReadAllBytes($Path) } catch {
        throw (New-IisFtpsException -Code CERTIFICATE_FILE_INVALID -Message ('Cannot read the certificate file {0}: {1}' -f $Path, (Get-IisFtpsInnermostException $_.Exception).Message))
    }
    $der = $bytes
    if ($bytes.Length -eq 0 -or $bytes[0] -ne 0x30) {
        $text = [System.Text.Encoding]::GetEncoding(28591).GetString($bytes)
        $m = [regex]::Match($text, '-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]*?)-----END CERTIFICATE-----')
        if (-not $m.Success) {
            $hint = $(if ($text -match '-----BEGIN [A-Z ]*PRIVATE KEY-----') { ' (it holds a private key; give the certificate file, .cer/.crt/.pem)' } else { '' })
            throw (New-IisFtpsException -Code CERTIFICATE_FILE_INVALID -Message ('{0} is neither a DER certificate nor a PEM file with a "BEGIN CERTIFICATE" block{1}' -f $Path, $hint))
        }
        $der = [System.Convert]::FromBase64String(($m.Groups[1].Value -replace '\s+', ''))
    }
    try {
        $x509 = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2 -ArgumentList (, [byte[]]$der)
    } catch {
        throw (New-IisFtpsException -Code CERTIFICATE_FILE_INVALID -Message ('{0} is not a readable X.509 certificate: {1}' -f $Path, (Get-IisFtpsInnermostException $_.Exception).Message))
    }
    return (ConvertTo-IisFtpsCertificateInfo -Certificate $x509)
}

function ConvertTo-IisFtpsUtcDate {
    <# An ISO 8601 text as a UTC DateTime, or $null. #>
    param([AllowNull()] $Text)
    if ($null -eq $Text) { return $null }
    if ($Text -is [datetime]) { return $Text.ToUniversalTime() }
    $parsed = [datetime]::MinValue
    if ([datetime]::TryParse([string]$Text, [System.Globalization.CultureInfo]::InvariantCulture, [System.Globalization.DateTimeStyles]::RoundtripKind, [ref]$parsed)) { return $parsed.ToUniversalTime() }
    return $null
}

function Format-IisFtpsIsoDate {
    <# A date as the ISO 8601 text CertificateInfo carries (ConvertFrom-Json may have made it a DateTime). #>
    param([AllowNull()] $Value)
    if ($Value -is [datetime]) { return $Value.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ss.fffZ', [System.Globalization.CultureInfo]::InvariantCulture) }
    return [string]$Value
}

function Get-IisFtpsCertificateProblem {
    <#
    The problems of a certificate as an FTP server certificate at -Now, in the order and words of
    judgeCertificate (src/certificates/judge.ts): @{ code; message } each; none = usable.
    #>
    param([Parameter(Mandatory)] $Certificate, [datetime] $Now = [datetime]::UtcNow)
    $now = $Now.ToUniversalTime()
    $subject = [string](Get-IisFtpsProperty $Certificate 'subject')
    $who = [string](Get-IisFtpsProperty $Certificate 'thumbprint')
    if ($subject) { $who = '{0} ({1})' -f $who, $subject }
    $store = [string](Get-IisFtpsProperty $Certificate 'store')
    if ((Get-IisFtpsProperty $Certificate 'hasPrivateKey') -eq $false) {
        $in = $(if ($store) { ' in LocalMachine\{0}' -f $store } else { '' })
        @{ code = 'CERTIFICATE_NO_PRIVATE_KEY'; message = ('certificate {0}{1} has no private key, so the FTP service cannot use it for TLS; import it with its key (the .pfx)' -f $who, $in) }
    }
    $notBefore = Format-IisFtpsIsoDate (Get-IisFtpsProperty $Certificate 'notBefore')
    $notAfter = Format-IisFtpsIsoDate (Get-IisFtpsProperty $Certificate 'notAfter')
    $to = ConvertTo-IisFtpsUtcDate $notAfter
    $from = ConvertTo-IisFtpsUtcDate $notBefore
    if ($null -ne $to -and $now -gt $to) { @{ code = 'CERTIFICATE_EXPIRED'; message = ('certificate {0} expired on {1}; clients refuse it' -f $who, $notAfter) } }
    if ($null -ne $from -and $now -lt $from) { @{ code = 'CERTIFICATE_NOT_YET_VALID'; message = ('certificate {0} is not valid before {1}; clients refuse it until then' -f $who, $notBefore) } }
    # Read directly: an empty list (no purpose at all) must not become $null (no EKU extension: any purpose).
    $hasEku = $false
    $ekus = $null
    if ($Certificate -is [System.Collections.IDictionary]) {
        if ($Certificate.Contains('enhancedKeyUsages')) { $ekus = $Certificate['enhancedKeyUsages'] }
    } else {
        $p = $Certificate.PSObject.Properties['enhancedKeyUsages']
        if ($null -ne $p) { $ekus = $p.Value }
    }
    $hasEku = $null -ne $ekus
    if ($hasEku) {
        $list = @($ekus)
        if ($list -notcontains $script:IisFtpsServerAuthOid -and $list -notcontains $script:IisFtpsAnyEkuOid) {
            $shown = $(if ($list.Count -gt 0) { $list -join ', ' } else { 'empty' })
            @{ code = 'CERTIFICATE_NOT_FOR_SERVER_AUTH'; message = ('certificate {0} is not for server authentication: its enhanced key usage is {1}, without Server Authentication ({2})' -f $who, $shown, $script:IisFtpsServerAuthOid) }
        }
    }
}

function Get-IisFtpsCertificateRefusal {
    <# The error for problems of the new certificate, as rotateFtpsCertificate words it. #>
    param([Parameter(Mandatory)] [object[]] $Problems)
    $first = $Problems[0]
    $rest = ''
    if ($Problems.Count -gt 1) { $rest = '; also ' + ((@($Problems | Select-Object -Skip 1) | ForEach-Object { '{0} ({1})' -f $_.message, $_.code }) -join '; ') }
    return (New-IisFtpsException -Code $first.code -Message ('The new {0}{1}. Nothing was written. Use another certificate, or -Force to bind it anyway (a risk: FTPS clients may be refused).' -f $first.message, $rest))
}

function ConvertTo-IisFtpsThumbprint {
    <# A thumbprint cleaned (spaces, invisible marks) and checked as serverCertHash is, in upper case. #>
    param([Parameter(Mandatory)] [string] $Value, [Parameter(Mandatory)] [string] $What)
    $def = Get-IisFtpsSettingDef -Name 'serverCertHash'
    $r = ConvertFrom-IisFtpsValue -Def $def -InputObject $Value
    if (-not $r.ok) { throw (New-IisFtpsException -Code INVALID_VALUE -Message ('{0}: {1}. Allowed: {2}' -f $What, $r.reason, ((Get-IisFtpsAllowedValues -Def $def) -join '; '))) }
    return ([string]$r.value).ToUpperInvariant()
}

function Get-IisFtpsSmRotation {
    <#
    Plans a certificate renewal on a ServerManager snapshot by the rules of rotateFtpsCertificate
    (-FileCertificate: the new certificate's facts from its file, Read-IisFtpsCertificateFile):
    OLD -> NEW in siteDefaults and in every site that sets OLD itself, the store name beside each
    replaced hash, -AlsoSite sites too; inheriting sites stay inheriting. Returns @{ report; plan }
    where report has the shape of 'iis-ftps rotate-cert --json' and plan is for Invoke-IisFtpsSmCommit.
    Throws (nothing planned) when OLD is bound nowhere and NEW neither, or NEW fails a check.
    #>
    param([string] $From, [Parameter(Mandatory)] [string] $To, [string] $StoreName, [string[]] $AlsoSite = @(), [switch] $Force, [string] $ConfigPath, $FileCertificate)
    $overridden = New-Object System.Collections.ArrayList
    # The machine's store decides on live IIS; elsewhere the certificate file, when given, is checked.
    $checked = $(if ($null -ne $FileCertificate) { 'file' } else { 'none' })
    $certificate = $FileCertificate
    $store = $(if ($StoreName) { $StoreName } else { 'My' })
    if (Test-IisFtpsCertificateStoreVisible -ConfigPath $ConfigPath) {
        $checked = 'store'
        $certificate = Get-IisFtpsStoreCertificate -Thumbprint $To -StoreName $StoreName
        if ($null -eq $certificate) {
            $where = $(if ($StoreName) { 'LocalMachine\{0}' -f $StoreName } else { 'LocalMachine\My or LocalMachine\WebHosting' })
            $problem = @{ code = 'CERTIFICATE_NOT_FOUND'; message = ('certificate {0} is not in {1}; import it there first (win-acme and Posh-ACME do), or name its store with -StoreName' -f $To, $where) }
            if (-not $Force) { throw (Get-IisFtpsCertificateRefusal -Problems @($problem)) }
            [void]$overridden.Add($problem)
        } elseif (-not $StoreName) { $store = [string]$certificate.store }
    }
    if ($null -ne $certificate) {
        $problems = @(Get-IisFtpsCertificateProblem -Certificate $certificate)
        if ($problems.Count -gt 0 -and -not $Force) { throw (Get-IisFtpsCertificateRefusal -Problems $problems) }
        foreach ($p in $problems) { [void]$overridden.Add($p) }
    }

    $snapshot = Read-IisFtpsSmSnapshot -AllSites -ConfigPath $ConfigPath
    $defaults = Get-IisFtpsSmLevel -Snapshot $snapshot
    $hashDef = Get-IisFtpsSettingDef -Name 'serverCertHash'
    $storeDef = Get-IisFtpsSettingDef -Name 'serverCertStoreName'
    $also = @{}
    foreach ($name in $AlsoSite) {
        $found = @($snapshot.sites | Where-Object { [string]::Equals([string]$_.name, $name, [System.StringComparison]::OrdinalIgnoreCase) })
        if ($found.Count -eq 0) {
            $list = (@($snapshot.sites | ForEach-Object { '"{0}"' -f $_.name }) -join ', ')
            throw (New-IisFtpsException -Code SITE_NOT_FOUND -Message ('No site named "{0}" (-AlsoSite); sites: {1}. Nothing was written.' -f $name, $list) -Site $name)
        }
        $also['site:' + ([string]$found[0].name).ToUpperInvariant()] = $true
    }
    $levels = @($defaults)
    $seen = @{ siteDefaults = $true }
    foreach ($s in $snapshot.sites) {
        $key = 'site:' + ([string]$s.name).ToUpperInvariant()
        if ($seen.ContainsKey($key)) { continue }
        $seen[$key] = $true
        $levels += , (Get-IisFtpsSmLevel -Snapshot $snapshot -SiteName $s.name)
    }
    $same = { param($a, $b) $null -ne $a -and $null -ne $b -and ([string]$a).ToUpperInvariant() -ceq ([string]$b).ToUpperInvariant() }
    $requests = New-Object System.Collections.ArrayList
    $changed = New-Object System.Collections.ArrayList
    $alreadyNew = New-Object System.Collections.ArrayList
    $inheriting = New-Object System.Collections.ArrayList
    $unrelated = New-Object System.Collections.ArrayList
    $heldOld = $false
    foreach ($level in $levels) {
        $own = Get-IisFtpsStoredValue -Raw $level.raw -Def $hashDef
        $ownHash = $(if ($null -ne $own -and $own.Contains('value')) { [string]$own.value } else { $null })
        $ownStore = Get-IisFtpsStoredValue -Raw $level.raw -Def $storeDef
        $ownStoreValue = $(if ($null -ne $ownStore -and $ownStore.Contains('value')) { [string]$ownStore.value } else { $null })
        $effectiveStore = [string](Get-IisFtpsSmEffective -Level $level -Defaults $defaults -Def $storeDef).value
        $storeOk = $effectiveStore.ToUpperInvariant() -ceq $store.ToUpperInvariant()
        $isAlso = $also.ContainsKey($level.key)
        $reason = $null
        if ($null -ne $ownHash -and (& $same $ownHash $To)) {
            [void]$alreadyNew.Add($level.identity)
            if (-not $storeOk) { $reason = 'store-name' } elseif ($isAlso) { $reason = 'also-site' }
        } elseif ($null -ne $ownHash -and $From -and (& $same $ownHash $From)) { $heldOld = $true; $reason = 'held-old' }
        elseif ($isAlso) { $reason = 'also-site' }
        elseif ($level.identity.level -eq 'site' -and @($level.identity.protocols) -contains 'ftp') {
            $effective = (Get-IisFtpsSmEffective -Level $level -Defaults $defaults -Def $hashDef)
            if ($null -eq $ownHash) { [void]$inheriting.Add($level.identity) }
            $value = $(if ($null -ne $effective.value) { [string]$effective.value } else { $null })
            if (-not (& $same $value $From) -and -not (& $same $value $To)) {
                [void]$unrelated.Add([pscustomobject][ordered]@{ target = $level.identity; serverCertHash = $value; source = $effective.source })
            }
        }
        if ($null -eq $reason) { continue }
        $values = [ordered]@{}
        if (-not (& $same $ownHash $To)) { $values['serverCertHash'] = $To }
        if (-not ($null -ne $ownStoreValue -and $ownStoreValue.ToUpperInvariant() -ceq $store.ToUpperInvariant())) { $values['serverCertStoreName'] = $store }
        if ($values.Count -eq 0) { continue }
        [void]$requests.Add(@{ key = $level.key; level = $level.identity.level; name = $level.identity.name; values = $values })
        [void]$changed.Add([pscustomobject][ordered]@{ target = $level.identity; reason = $reason; oldHash = $ownHash; oldStore = $ownStoreValue })
    }
    if (-not $heldOld -and $alreadyNew.Count -eq 0 -and $also.Count -eq 0) {
        throw (New-IisFtpsException -Code OLD_CERTIFICATE_NOT_FOUND -Message ('No level holds the old certificate {0} (neither siteDefaults nor any site sets ssl/@serverCertHash to it), and the new one {1} is bound nowhere either. Nothing was written. Check -OldThumbprint, or bind the new certificate with -AlsoSite NAME.' -f $From, $To))
    }
    $plan = Get-IisFtpsSmPlan -Requests @($requests) -ConfigPath $ConfigPath
    $plan.kind = 'ServerManager'
    $report = [pscustomobject][ordered]@{
        changes    = @($plan.changes)
        from       = $(if ($From) { $From } else { $null })
        to         = $To
        store      = $store
        levels     = @($changed)
        alreadyNew = @($alreadyNew)
        inheriting = @($inheriting)
        unrelated  = @($unrelated)
        check      = [pscustomobject][ordered]@{ checked = $checked; certificate = $certificate; overridden = @($overridden | ForEach-Object { [pscustomobject]$_ }) }
    }
    return @{ report = $report; plan = $plan; keys = @($requests | ForEach-Object { $_.key }) }
}
