function Update-IisFtpsCertificate {
    <#
    .SYNOPSIS
    Replaces the FTP server certificate everywhere the old one is bound: siteDefaults and every site, in one commit.

    .DESCRIPTION
    Update-IisFtpsCertificate is certificate renewal for IIS FTP. It replaces ssl/@serverCertHash
    OldThumbprint -> NewThumbprint in siteDefaults and in every site that sets the old thumbprint
    itself, whatever its bindings (FTP-only and mixed web and FTP sites alike), writes
    ssl/@serverCertStoreName beside each replaced hash (the store the new certificate is in, so IIS
    does not show it as "Not Selected"), binds the sites named by -AlsoSite too, and commits all of
    it in one ServerManager.CommitChanges() (or one atomic write through the Node CLI). Sites that
    inherit the hash from siteDefaults stay inheriting.

    It binds -NewThumbprint from the Thumbprint property of pipeline objects, so Posh-ACME's
    Get-PACertificate and certificates from the Cert: drive pipe in. Thumbprints may carry spaces
    and the invisible mark the certificate dialog copies; they compare case-insensitively and are
    written in upper case.

    On live IIS the new certificate must be in Cert:\LocalMachine\<StoreName> (My, then WebHosting
    when no -StoreName is given) with its private key, within its validity period, and usable for
    server authentication (the Server Authentication EKU, or none); otherwise the cmdlet stops with
    an error whose id is the reason (CERTIFICATE_NOT_FOUND, CERTIFICATE_NO_PRIVATE_KEY,
    CERTIFICATE_EXPIRED, CERTIFICATE_NOT_YET_VALID, CERTIFICATE_NOT_FOR_SERVER_AUTH) and writes
    nothing. With -ConfigPath the machine's store is not consulted (the file may be another
    machine's).

    A rerun finds the new certificate in place and nothing holding the old one: it writes nothing
    and returns Status 'already'. When neither the old nor the new certificate is bound anywhere
    (and no -AlsoSite is given), it stops with OLD_CERTIFICATE_NOT_FOUND. FTP sites that use
    neither certificate are listed in Unrelated and as warnings: a site forgotten at an earlier
    renewal, or one on another certificate on purpose.

    .PARAMETER OldThumbprint
    The thumbprint of the certificate being replaced. May be left out with -AlsoSite, to bind a first certificate to named sites.

    .PARAMETER NewThumbprint
    The thumbprint of the renewed certificate. Bound from the Thumbprint property of pipeline objects (Get-PACertificate, Get-ChildItem Cert:\LocalMachine\My).

    .PARAMETER NewCertificatePath
    The renewed certificate as a .cer, .crt or .pem file (DER or PEM; of a full-chain PEM, the first
    certificate), instead of -NewThumbprint: the new thumbprint is its SHA-1 thumbprint, and its
    validity dates and key usage are checked (with -ConfigPath too, where the machine's store is not
    consulted). win-acme's and Posh-ACME's certificate files work as they are.

    .PARAMETER StoreName
    The certificate store the new certificate is in (My, WebHosting), written as ssl/@serverCertStoreName. Default: where it is found on live IIS, else My.

    .PARAMETER AlsoSite
    Sites to bind the new certificate to as well, whatever they hold now. Each must exist.

    .PARAMETER ConfigPath
    An applicationHost.config file to change instead of the live IIS configuration.

    .PARAMETER Force
    Bind the new certificate although it fails a certificate check. A risk: an expired, not yet valid or client-only certificate, or one without its private key, makes the FTP service refuse TLS, so clients that require it cannot log on.

    .EXAMPLE
    Update-IisFtpsCertificate -OldThumbprint '1A2B...' -NewThumbprint '3C4D...' -WhatIf

    Shows which levels would move to the new certificate, writing nothing.

    .EXAMPLE
    $old = (Get-PACertificate).Thumbprint; Submit-Renewal; Get-PACertificate | Update-IisFtpsCertificate -OldThumbprint $old

    Posh-ACME: after the renewal, binds the new certificate wherever FTP used the old one.

    .EXAMPLE
    Update-IisFtpsCertificate -OldThumbprint $old -NewCertificatePath C:\certs\ftp.example.net-crt.pem -StoreName WebHosting -ConfigPath .\applicationHost.config -WhatIf

    The renewed certificate from its file: its thumbprint is read there, and its dates and key usage checked, before anything is planned.

    .EXAMPLE
    Get-ChildItem Cert:\LocalMachine\WebHosting | Where-Object Subject -eq 'CN=ftp.example.net' | Sort-Object NotAfter | Select-Object -Last 1 | Update-IisFtpsCertificate -OldThumbprint $old -StoreName WebHosting -Verbose

    The newest certificate for a name from the WebHosting store, with old -> new shown per level.

    .INPUTS
    Objects with a Thumbprint property (Posh-ACME certificates, X509Certificate2 from the Cert: drive).

    .OUTPUTS
    IisFtps.CertificateRotation: Status (rotated, already, what-if), the thumbprints, StoreName, Changed, AlreadyInPlace, Unrelated, Written.

    .LINK
    Set-IisFtpsSetting

    .LINK
    Test-IisFtpsSetting
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium', DefaultParameterSetName = 'Thumbprint')]
    [OutputType('IisFtps.CertificateRotation')]
    param(
        [Parameter(Position = 0)]
        [string] $OldThumbprint,

        [Parameter(Mandatory, Position = 1, ParameterSetName = 'Thumbprint', ValueFromPipelineByPropertyName)]
        [Alias('Thumbprint')]
        [ValidateNotNullOrEmpty()]
        [string] $NewThumbprint,

        [Parameter(Mandatory, ParameterSetName = 'File')]
        [Alias('CertificatePath')]
        [ValidateNotNullOrEmpty()]
        [string] $NewCertificatePath,

        [string] $StoreName,

        [AllowEmptyCollection()]
        [string[]] $AlsoSite = @(),

        [string] $ConfigPath,

        [switch] $Force
    )
    begin {
        try {
            $config = Resolve-IisFtpsConfigPath -Cmdlet $PSCmdlet -ConfigPath $ConfigPath
            $from = $(if ($OldThumbprint) { ConvertTo-IisFtpsThumbprint -Value $OldThumbprint -What 'OldThumbprint (the old certificate)' } else { '' })
            if (@($AlsoSite | Where-Object { [string]::IsNullOrEmpty($_) }).Count -gt 0) { throw (New-IisFtpsException -Code USAGE -Message 'AlsoSite names an empty site name; pass site names.') }
            if (-not $from -and $AlsoSite.Count -eq 0) {
                throw (New-IisFtpsException -Code USAGE -Message 'Name the certificate being replaced (-OldThumbprint), or the sites to bind the new one to (-AlsoSite).')
            }
            if ($StoreName -and $StoreName -notmatch '^[\w .-]{1,64}$') {
                throw (New-IisFtpsException -Code INVALID_VALUE -Message ('StoreName "{0}" is not a certificate store name; stores are named like My, WebHosting or Root' -f $StoreName))
            }
        } catch {
            $PSCmdlet.ThrowTerminatingError((New-IisFtpsErrorRecord -ErrorObject $_))
        }
        $news = New-Object System.Collections.Generic.List[string]
        $file = $null
        $fileCertificate = $null
    }
    process {
        try {
            if ($PSCmdlet.ParameterSetName -eq 'File') {
                $file = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($NewCertificatePath)
                $fileCertificate = Read-IisFtpsCertificateFile -Path $file
                $to = [string]$fileCertificate.thumbprint
            } else {
                $to = ConvertTo-IisFtpsThumbprint -Value $NewThumbprint -What 'NewThumbprint (the new certificate)'
            }
        } catch {
            $PSCmdlet.ThrowTerminatingError((New-IisFtpsErrorRecord -ErrorObject $_))
        }
        if (-not $news.Contains($to)) { $news.Add($to) }
    }
    end {
        try {
            if ($news.Count -ne 1) {
                throw (New-IisFtpsException -Code USAGE -Message ('One new certificate at a time: the pipeline gave {0} different thumbprints ({1}). Pick one, e.g. | Sort-Object NotAfter | Select-Object -Last 1.' -f $news.Count, ($news -join ', ')))
            }
            $to = $news[0]
            $kind = Get-IisFtpsBackendKind -ConfigPath $config
            if ($kind -eq 'NodeCli') { $planned = Get-IisFtpsCliRotation -From $from -To $to -ToFile $file -StoreName $StoreName -AlsoSite $AlsoSite -Force:$Force -ConfigPath $config }
            else { $planned = Get-IisFtpsSmRotation -From $from -To $to -StoreName $StoreName -AlsoSite $AlsoSite -Force:$Force -ConfigPath $config -FileCertificate $fileCertificate }
            $report = $planned.report
            foreach ($p in @($report.check.overridden)) { Write-Warning ('-Force binds a certificate that failed a check, a risk: {0} ({1})' -f $p.message, $p.code) }
            foreach ($u in @($report.unrelated)) {
                $hash = $(if ($null -ne $u.serverCertHash) { [string]$u.serverCertHash } else { 'no certificate' })
                Write-Warning ('{0} uses neither the old nor the new certificate ({1}); forgotten at an earlier renewal? Add -AlsoSite to bind it.' -f (Get-IisFtpsTargetLabel $u.target), $hash)
            }
            $changes = @($report.changes)
            $labels = @($report.levels | ForEach-Object { Get-IisFtpsTargetLabel $_.target })
            foreach ($c in $changes) {
                $before = $(if ($null -eq $c.old) { '(not set)' } else { Format-IisFtpsShownValue $c.old })
                Write-Verbose ('{0}: {1}: {2} -> {3}' -f (Get-IisFtpsTargetLabel $c.target), $c.setting, $before, (Format-IisFtpsShownValue $c.new))
            }
            $written = $false
            $status = 'already'
            if ($changes.Count -eq 0) {
                Write-Verbose ('The new certificate {0} is already in place and nothing holds the old one; nothing to change.' -f $to)
            } elseif ($PSCmdlet.ShouldProcess(($labels -join ', '), ('Replace the FTP server certificate {0} -> {1} (store {2})' -f $(if ($from) { $from } else { '(none)' }), $to, $report.store))) {
                if ($kind -eq 'NodeCli') { $written = Invoke-IisFtpsCliRotation -Plan $planned }
                else { $written = Invoke-IisFtpsSmCommit -Plan $planned.plan -Keys $planned.keys -ConfigPath $config }
                $status = 'rotated'
                Write-Verbose ('Committed {0} change(s) at {1} level(s) in one write (written: {2}).' -f $changes.Count, $labels.Count, $written)
            } else { $status = 'what-if' }
            [pscustomobject][ordered]@{
                PSTypeName     = 'IisFtps.CertificateRotation'
                Status         = $status
                OldThumbprint  = $(if ($from) { $from } else { $null })
                NewThumbprint  = $to
                StoreName      = [string]$report.store
                Changed        = @($report.levels | ForEach-Object { [pscustomobject][ordered]@{ Target = Get-IisFtpsTargetLabel $_.target; SiteName = $_.target.name; Level = [string]$_.target.level; Reason = [string]$_.reason } })
                AlreadyInPlace = @($report.alreadyNew | ForEach-Object { Get-IisFtpsTargetLabel $_ })
                Unrelated      = @($report.unrelated | ForEach-Object { [pscustomobject][ordered]@{ Target = Get-IisFtpsTargetLabel $_.target; SiteName = $_.target.name; SiteId = $_.target.id; ServerCertHash = $_.serverCertHash } })
                Changes        = $changes
                Written        = [bool]$written
                ConfigPath     = $(if ($config) { $config } else { $null })
            }
        } catch {
            $PSCmdlet.ThrowTerminatingError((New-IisFtpsErrorRecord -ErrorObject $_))
        }
    }
}
