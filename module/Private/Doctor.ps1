# The doctor's rules for the ServerManager path: the rules of src/doctor/rules.ts, as data in
# schema.json (doctorRules: conditions on settings and a message template), checked by one
# generic routine; and the server certificate rules, which read the level and the store.

# The server certificate rules (src/doctor/rules.ts, certificateRules): sites without a
# certificate, and the bound certificate as the machine's store has it (seen on live IIS only:
# Certificates.ps1). They read the level and the store's answer, which the data rules cannot
# express yet, so they are written here as in TypeScript; the Pester suite compares the findings
# of both. Each check takes a context (@{ noHash; control; data; ftpSite; hash; storeName;
# certificate; certificateSeen }) and returns a message when the rule is broken, else nothing.
$script:IisFtpsCertificateRules = @(
    # Sites without a certificate, and the bound certificate as the machine's store has it (seen on
    # live IIS only: Certificates.ps1). Kept together, apart from the client-certificate rules above.
    @{ id = 'tls-required-without-certificate'; severity = 'error'; check = { param($c)
            if ($c.ftpSite -and $c.noHash) {
                if ($c.control -ceq 'SslRequire' -or $c.control -ceq 'SslRequireCredentialsOnly') { 'no serverCertHash is set or inherited but controlChannelPolicy is {0}, so the FTP service refuses every client at login; bind a certificate with --server-cert-hash (or allow plain FTP with --control-channel-policy SslAllow)' -f $c.control }
                elseif ($c.data -ceq 'SslRequire') { 'no serverCertHash is set or inherited but dataChannelPolicy is SslRequire, so every listing and transfer is refused after login; bind a certificate with --server-cert-hash (or --data-channel-policy SslAllow)' }
            } } }
    @{ id = 'plain-ftp-without-certificate'; severity = 'warning'; check = { param($c) if ($c.ftpSite -and $c.noHash -and $c.control -ceq 'SslAllow') { 'no serverCertHash is set or inherited and controlChannelPolicy is SslAllow, so user names and passwords cross the network in clear text; bind a certificate with --server-cert-hash' } } }
    @{ id = 'server-certificate-not-in-store'; severity = 'error'; check = { param($c) if ($c.certificateSeen -and $null -eq $c.certificate -and -not $c.noHash) { 'serverCertHash {0} is not in LocalMachine\{1}, so TLS fails for every client; import the certificate there, or bind one that is (iis-ftps rotate-cert)' -f $c.hash, $c.storeName } } }
    @{ id = 'server-certificate-unusable'; severity = 'error'; check = { param($c)
            if ($null -ne $c.certificate -and -not $c.noHash) {
                $problems = @(Get-IisFtpsCertificateProblem -Certificate $c.certificate)
                if ($problems.Count -gt 0) { 'the server {0}; renew it (iis-ftps rotate-cert)' -f ((@($problems | ForEach-Object { '{0} ({1})' -f $_.message, $_.code })) -join '; ') }
            } } }
    @{ id = 'server-certificate-expires-soon'; severity = 'warning'; check = { param($c)
            if ($null -ne $c.certificate -and -not $c.noHash) {
                $end = ConvertTo-IisFtpsUtcDate $c.certificate.notAfter
                if ($null -ne $end) {
                    $left = [math]::Floor(($end - [datetime]::UtcNow).TotalDays)
                    if ($left -ge 0 -and $left -lt 30) { 'the server certificate {0} expires in {1} day(s), on {2}; renew it and run iis-ftps rotate-cert' -f $c.certificate.thumbprint, $left, (Format-IisFtpsIsoDate $c.certificate.notAfter) }
                }
            } } }
)

function Get-IisFtpsDoctorRule {
    <# The doctor's rules, from schema.json, in the order the CLI reports them. #>
    return @((Get-IisFtpsSchema).doctorRules)
}

function ConvertTo-IisFtpsJsString {
    <# A value as JavaScript's String() writes it into a message: null, true/false, lists joined by commas. #>
    param($Value)
    if ($null -eq $Value) { return 'null' }
    if ($Value -is [bool]) { if ($Value) { return 'true' } else { return 'false' } }
    if ($Value -is [string]) { return $Value }
    if (Test-IisFtpsNumber $Value) { return (ConvertTo-IisFtpsJsNumberText $Value) }
    if (Test-IisFtpsList $Value) { return (@($Value | ForEach-Object { ConvertTo-IisFtpsJsString $_ }) -join ',') }
    return [string]$Value
}

function Get-IisFtpsDoctorProblem {
    <# The stored values that cannot be read, each as schema.json's doctor.problemList.item words it. #>
    param([Parameter(Mandatory)] $Settings)
    $item = (Get-IisFtpsSchema).doctor.problemList.item
    foreach ($el in $Settings.Keys) {
        foreach ($a in $Settings[$el].Keys) {
            $e = $Settings[$el][$a]
            $problem = Get-IisFtpsProperty $e 'problem'
            if ($null -ne $problem -and ([string]$problem).Length -gt 0) {
                Format-IisFtpsTemplate -Template $item -Vars @{ element = $el; attribute = $a; source = (Get-IisFtpsProperty $e 'source'); problem = $problem }
            }
        }
    }
}

function Get-IisFtpsEffectiveValue {
    <# A setting's effective value in element -> attribute -> { value, ... }, by setting name. #>
    param([Parameter(Mandatory)] $Settings, [Parameter(Mandatory)] [string] $Setting)
    $def = Get-IisFtpsSettingDef -Name $Setting
    return (Get-IisFtpsProperty (Get-IisFtpsProperty (Get-IisFtpsProperty $Settings $def.element) $def.attribute) 'value')
}

function Test-IisFtpsDoctorCondition {
    <#
    Whether one condition of a rule holds: equals / notEquals (strict: same type and value),
    includes (a list with that name), isEmpty (null or empty text), problems (any stored value that
    cannot be read). As src/doctor/rules.ts.
    #>
    param([Parameter(Mandatory)] $Condition, [Parameter(Mandatory)] $Settings)
    $has = { param([string] $Name) $null -ne $Condition.PSObject.Properties[$Name] }
    if (& $has 'problems') { return (@(Get-IisFtpsDoctorProblem -Settings $Settings).Count -gt 0) }
    $v = Get-IisFtpsEffectiveValue -Settings $Settings -Setting $Condition.setting
    $same = {
        param($A, $B)
        if ($null -eq $A -or $null -eq $B) { return ($null -eq $A -and $null -eq $B) }
        if ($A -is [bool] -or $B -is [bool]) { return ($A -is [bool] -and $B -is [bool] -and $A -eq $B) }
        if ($A -is [string] -or $B -is [string]) { return ($A -is [string] -and $B -is [string] -and (Test-IisFtpsSameText $A $B)) }
        return $false
    }
    if (& $has 'equals') { return [bool](& $same $v $Condition.equals) }
    if (& $has 'notEquals') { return -not (& $same $v $Condition.notEquals) }
    # PowerShell hands a one-element list back as its element: a single name is a list of one here.
    if (& $has 'includes') { return ($null -ne $v -and @(@($v) | Where-Object { $_ -is [string] -and (Test-IisFtpsSameText $_ $Condition.includes) }).Count -gt 0) }
    if (& $has 'isEmpty') { return ((($null -eq $v) -or ($v -is [string] -and $v.Length -eq 0)) -eq [bool]$Condition.isEmpty) }
    throw (New-IisFtpsException -Code BACKEND_FAILED -Message ("The module's schema.json has a doctor condition this module does not know ({0}); reinstall the module." -f (ConvertTo-IisFtpsJson $Condition)))
}

function Get-IisFtpsDoctorFinding {
    <#
    The broken rules for one level's effective settings (element -> attribute -> { value, source, problem? }):
    the data rules of schema.json, then the server certificate rules. -Target is the level's
    identity ({ level; name; id; protocols }); -ConfigPath says whether the machine's certificate
    store is looked at (live IIS only).
    #>
    param([Parameter(Mandatory)] $Settings, $Target, [string] $ConfigPath)
    $separator = (Get-IisFtpsSchema).doctor.problemList.separator
    foreach ($rule in Get-IisFtpsDoctorRule) {
        $broken = $true
        foreach ($c in @($rule.when)) { if (-not (Test-IisFtpsDoctorCondition -Condition $c -Settings $Settings)) { $broken = $false; break } }
        if (-not $broken) { continue }
        $message = [regex]::Replace([string]$rule.message, '\{(\w+)\}', {
                param($m)
                $name = $m.Groups[1].Value
                if ($name -eq 'problems') { return (@(Get-IisFtpsDoctorProblem -Settings $Settings) -join $separator) }
                return (ConvertTo-IisFtpsJsString (Get-IisFtpsEffectiveValue -Settings $Settings -Setting $name))
            })
        [pscustomobject][ordered]@{ rule = [string]$rule.id; severity = [string]$rule.severity; message = $message }
    }
    $hash = [string](Get-IisFtpsEffectiveValue -Settings $Settings -Setting 'serverCertHash')
    $context = @{
        noHash          = [string]::IsNullOrEmpty($hash)
        control         = Get-IisFtpsEffectiveValue -Settings $Settings -Setting 'controlChannelPolicy'
        data            = Get-IisFtpsEffectiveValue -Settings $Settings -Setting 'dataChannelPolicy'
        # As src/doctor/rules.ts: a level is a site unless told otherwise, with FTP unless its bindings say not.
        ftpSite         = $null -eq $Target -or ((Get-IisFtpsProperty $Target 'level') -ne 'siteDefaults' -and @(Get-IisFtpsProperty $Target 'protocols') -contains 'ftp')
        hash            = $hash
        storeName       = [string](Get-IisFtpsEffectiveValue -Settings $Settings -Setting 'serverCertStoreName')
        certificate     = $null
        certificateSeen = $false
    }
    if (-not $context.noHash -and (Test-IisFtpsCertificateStoreVisible -ConfigPath $ConfigPath)) {
        $context.certificateSeen = $true
        $context.certificate = Get-IisFtpsStoreCertificate -Thumbprint $context.hash -StoreName $context.storeName
    }
    foreach ($rule in $script:IisFtpsCertificateRules) {
        $message = & $rule.check $context
        if ($null -ne $message) { [pscustomobject][ordered]@{ rule = $rule.id; severity = $rule.severity; message = [string]$message } }
    }
}
