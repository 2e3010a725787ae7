# The doctor's rules (src/doctor/rules.ts), for the ServerManager path: the same ids, severities
# and messages. schema.json lists the TypeScript rules; a test checks each has a rule here, and
# compares findings with the Node CLI's on the same files.
# Each check takes a context (@{ cca; policy; policyText; noHash; flags; adMapping; control; data; bad })
# and returns a message when the rule is broken, else nothing.

$script:IisFtpsDoctorRules = @(
    @{ id = 'cca-needs-server-certificate'; severity = 'error'; check = { param($c) if ($c.cca -and $c.noHash) { 'clientCertAuthentication is enabled but no serverCertHash is bound, so TLS is off; set --server-cert-hash' } } }
    @{ id = 'cca-needs-client-certificates'; severity = 'error'; check = { param($c) if ($c.cca -and $c.policy -ceq 'CertIgnore') { 'clientCertAuthentication is enabled but clientCertificatePolicy is CertIgnore, so no certificate is ever negotiated; set CertRequire or CertAllow' } } }
    @{ id = 'cca-needs-ad-mapping'; severity = 'error'; check = { param($c) if ($c.cca -and $c.adMapping -ne $true) { 'clientCertAuthentication is enabled but useActiveDirectoryMapping is false, so certificates map to no account; set --use-active-directory-mapping true' } } }
    @{ id = 'cca-needs-tls-channels'; severity = 'error'; check = { param($c) if ($c.cca -and $c.data -ceq 'SslDeny') { 'clientCertAuthentication is enabled but dataChannelPolicy is SslDeny, which forbids TLS on the data channel; set SslRequire or SslAllow' } } }
    @{ id = 'stored-value-invalid'; severity = 'error'; check = { param($c) if ($c.bad.Count -gt 0) { $c.bad -join '; ' } } }
    @{ id = 'no-revocation-check'; severity = 'warning'; check = { param($c) if ($c.flags -ccontains 'NoRevocationCheck') { 'validationFlags includes NoRevocationCheck, so revoked client certificates are accepted; Microsoft advises against it' } } }
    @{ id = 'client-certificates-without-tls'; severity = 'warning'; check = { param($c) if ($c.policy -cne 'CertIgnore' -and $c.noHash) { 'clientCertificatePolicy is {0} but no serverCertHash is bound, so TLS (and with it any client certificate) is off' -f $c.policyText } } }
    @{ id = 'cert-require-with-optional-tls'; severity = 'warning'; check = { param($c) if ($c.policy -ceq 'CertRequire' -and $c.control -ceq 'SslAllow' -and -not $c.noHash) { 'clientCertificatePolicy is CertRequire but controlChannelPolicy is SslAllow, so a client that does not start TLS is never asked for a certificate; set SslRequire' } } }
)

function Get-IisFtpsDoctorFinding {
    <# The broken rules for one level's effective settings (element -> attribute -> { value, source, problem? }). #>
    param([Parameter(Mandatory)] $Settings)
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
    }
    foreach ($rule in $script:IisFtpsDoctorRules) {
        $message = & $rule.check $context
        if ($null -ne $message) { [pscustomobject][ordered]@{ rule = $rule.id; severity = $rule.severity; message = [string]$message } }
    }
}
