# The doctor's rules (src/doctor/rules.ts), for the ServerManager path: the same ids, severities
# and messages. schema.json lists the TypeScript rules; a test checks each has a rule here, and
# compares findings with the Node CLI's on the same files.
# Each check takes a context (@{ cca; policy; policyText; noHash; flags; adMapping; control; data; bad;
# ftpSite; hash; storeName; certificate; certificateSeen }) and returns a message when the rule is
# broken, else nothing.

$script:IisFtpsDoctorRules = @(
    @{ id = 'cca-needs-server-certificate'; severity = 'error'; check = { param($c) if ($c.cca -and $c.noHash) { 'clientCertAuthentication is enabled but no serverCertHash is bound, so TLS is off; set --server-cert-hash' } } }
    @{ id = 'cca-needs-client-certificates'; severity = 'error'; check = { param($c) if ($c.cca -and $c.policy -ceq 'CertIgnore') { 'clientCertAuthentication is enabled but clientCertificatePolicy is CertIgnore, so no certificate is ever negotiated; set CertRequire or CertAllow' } } }
    @{ id = 'cca-needs-ad-mapping'; severity = 'error'; check = { param($c) if ($c.cca -and $c.adMapping -ne $true) { 'clientCertAuthentication is enabled but useActiveDirectoryMapping is false, so certificates map to no account; set --use-active-directory-mapping true' } } }
    @{ id = 'cca-needs-tls-channels'; severity = 'error'; check = { param($c) if ($c.cca -and $c.data -ceq 'SslDeny') { 'clientCertAuthentication is enabled but dataChannelPolicy is SslDeny, which forbids TLS on the data channel; set SslRequire or SslAllow' } } }
    @{ id = 'stored-value-invalid'; severity = 'error'; check = { param($c) if ($c.bad.Count -gt 0) { $c.bad -join '; ' } } }
    @{ id = 'no-revocation-check'; severity = 'warning'; check = { param($c) if ($c.flags -ccontains 'NoRevocationCheck') { 'validationFlags includes NoRevocationCheck, so revoked client certificates are accepted; Microsoft advises against it' } } }
    @{ id = 'client-certificates-without-tls'; severity = 'warning'; check = { param($c) if ($c.policy -cne 'CertIgnore' -and $c.noHash) { 'clientCertificatePolicy is {0} but no serverCertHash is bound, so TLS (and with it any client certificate) is off' -f $c.policyText } } }
    @{ id = 'cert-require-with-optional-tls'; severity = 'warning'; check = { param($c) if ($c.policy -ceq 'CertRequire' -and $c.control -ceq 'SslAllow' -and -not $c.noHash) { 'clientCertificatePolicy is CertRequire but controlChannelPolicy is SslAllow, so a client that does not start TLS is never asked for a certificate; set SslRequire' } } }

    # ---- Server certificate rules (certificate renewal) ----------------------------------------
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

function Get-IisFtpsDoctorFinding {
    <#
    The broken rules for one level's effective settings (element -> attribute -> { value, source, problem? }).
    -Target is the level's identity ({ level; name; id; protocols }); -ConfigPath says whether the
    machine's certificate store is looked at (live IIS only).
    #>
    param([Parameter(Mandatory)] $Settings, $Target, [string] $ConfigPath)
    $v = {
        param([string] $Element, [string] $Attribute)
        return (Get-IisFtpsProperty (Get-IisFtpsProperty (Get-IisFtpsProperty $Settings $Element) $Attribute) 'value')
    }
    $policy = & $v 'sslClientCertificates' 'clientCertificatePolicy'
    $bad = @()
    foreach ($el in $Settings.Keys) {
        foreach ($a in $Settings[$el].Keys) {
            $e = $Settings[$el][$a]
            $problem = Get-IisFtpsProperty $e 'problem'
            if ($null -ne $problem) { $bad += ('{0}.{1} ({2}): {3}' -f $el, $a, $e.source, $problem) }
        }
    }
    $context = @{
        cca        = (& $v 'clientCertAuthentication' 'enabled') -eq $true
        policy     = $policy
        policyText = $(if ($null -eq $policy) { 'null' } else { [string]$policy })
        noHash     = [string]::IsNullOrEmpty([string](& $v 'ssl' 'serverCertHash'))
        flags      = @(& $v 'sslClientCertificates' 'validationFlags')
        adMapping  = & $v 'sslClientCertificates' 'useActiveDirectoryMapping'
        control    = & $v 'ssl' 'controlChannelPolicy'
        data       = & $v 'ssl' 'dataChannelPolicy'
        bad        = $bad
        ftpSite    = $null -ne $Target -and (Get-IisFtpsProperty $Target 'level') -eq 'site' -and @(Get-IisFtpsProperty $Target 'protocols') -contains 'ftp'
        hash       = [string](& $v 'ssl' 'serverCertHash')
        storeName  = [string](& $v 'ssl' 'serverCertStoreName')
        certificate     = $null
        certificateSeen = $false
    }
    if (-not $context.noHash -and (Test-IisFtpsCertificateStoreVisible -ConfigPath $ConfigPath)) {
        $context.certificateSeen = $true
        $context.certificate = Get-IisFtpsStoreCertificate -Thumbprint $context.hash -StoreName $context.storeName
    }
    foreach ($rule in $script:IisFtpsDoctorRules) {
        $message = & $rule.check $context
        if ($null -ne $message) { [pscustomobject][ordered]@{ rule = $rule.id; severity = $rule.severity; message = [string]$message } }
    }
}
