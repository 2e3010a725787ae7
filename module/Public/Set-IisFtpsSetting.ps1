function Set-IisFtpsSetting {
    <#
    .SYNOPSIS
    Sets FTP TLS client-certificate settings on IIS FTP sites or on siteDefaults, in one commit.

    .DESCRIPTION
    Set-IisFtpsSetting sets the settings given as parameters at the level named: on each site
    (-SiteName, from the pipeline too) or on siteDefaults (-SiteDefaults). Every value is checked
    against the iis-ftps schema before anything is read; an unknown name is refused with the list of
    names allowed.

    A value already set so at that level changes nothing (a value only inherited from siteDefaults
    is set on the site). All sites of one pipeline run are committed together at its end, in one
    ServerManager.CommitChanges() (or one atomic write through the Node CLI): all of them, or on any
    error none. -WhatIf shows every change (old -> new) and writes nothing; -Confirm asks per target;
    -Verbose shows old -> new.

    Enum and flag names complete with Tab and are case-insensitive; their numbers are accepted too.

    With -DesiredState, Set-IisFtpsSetting applies a desired state instead (as 'iis-ftps apply'):
    every level it names, siteDefaults and sites, gets the values it gives ($null: inherit), in one
    commit, and nothing is written when everything is already so. Test-IisFtpsSetting -DesiredState
    lists what it would change.

    .PARAMETER SiteName
    The names of the FTP sites to change. Accepts pipeline input by value and by property name (Name, SiteName).

    .PARAMETER SiteDefaults
    Change siteDefaults, which every site inherits where it sets nothing itself.

    .PARAMETER DesiredState
    A desired state to apply: a hashtable, an object (ConvertFrom-Json), or the path of a JSON file,
    as 'iis-ftps apply --desired' takes it:
    @{ siteDefaults = @{ SETTING = VALUE }; sites = @{ 'SITE NAME' = @{ SETTING = VALUE } } }.
    Settings are named as in the schema (clientCertificatePolicy) or as this command's parameters;
    $null means inherit; a setting not named is left alone. Every value is checked before anything
    is read. Goes with no setting parameter.

    .PARAMETER ConfigPath
    An applicationHost.config file to change instead of the live IIS configuration.

    .PARAMETER ClientCertificatePolicy
    sslClientCertificates/@clientCertificatePolicy: CertIgnore, CertAllow or CertRequire (or 0-2).

    .PARAMETER ValidationFlags
    sslClientCertificates/@validationFlags: any of NoRevocationCheck, CertChainRevocationCheckCacheOnly,
    CertChainCacheOnlyUrlRetrieval, CertNoUsageCheck, or None; or their sum.

    .PARAMETER RevocationFreshnessTime
    sslClientCertificates/@revocationFreshnessTime: a TimeSpan or hh:mm:ss / d.hh:mm:ss.

    .PARAMETER RevocationUrlRetrievalTimeout
    sslClientCertificates/@revocationUrlRetrievalTimeout: a TimeSpan or hh:mm:ss / d.hh:mm:ss.

    .PARAMETER UseActiveDirectoryMapping
    sslClientCertificates/@useActiveDirectoryMapping: map client certificates to domain accounts.

    .PARAMETER ControlChannelPolicy
    ssl/@controlChannelPolicy: SslAllow, SslRequire or SslRequireCredentialsOnly.

    .PARAMETER DataChannelPolicy
    ssl/@dataChannelPolicy: SslAllow, SslRequire or SslDeny.

    .PARAMETER ServerCertHash
    ssl/@serverCertHash: the server certificate's thumbprint, 40 hex digits. Spaces and the invisible
    marks the certificate dialog copies along are removed.

    .PARAMETER ServerCertStoreName
    ssl/@serverCertStoreName: the certificate store of the server certificate (MY by default).

    .PARAMETER Ssl128
    ssl/@ssl128: require 128-bit TLS.

    .PARAMETER ClientCertAuthentication
    authentication/clientCertAuthentication/@enabled: log users on by their client certificate.

    .PARAMETER PassThru
    Emit the settings of every target after the change (IisFtps.Setting objects).

    .PARAMETER ComputerName
    Runs the command on these servers through PowerShell remoting over WinRM (Invoke-Command
    -ComputerName), each server on its own configuration. The IisFtps module must be installed there.

    .PARAMETER HostName
    Runs the command on these servers through PowerShell remoting over SSH (PowerShell 7:
    Invoke-Command -HostName; user@host:port works too).

    .PARAMETER UserName
    With -HostName: the user to log on as.

    .PARAMETER KeyFilePath
    With -HostName: the private key file to log on with.

    .PARAMETER Port
    With -ComputerName or -HostName: the port of WinRM or SSH on the servers.

    .PARAMETER SSHOption
    With -HostName: SSH options as a hashtable (Invoke-Command -Options), e.g. @{ UserKnownHostsFile = 'C:\ops\known_hosts' }.

    .PARAMETER Session
    Runs the command in these PSSessions (New-PSSession), one per server.

    .PARAMETER Credential
    With -ComputerName: the credential to connect with.

    .PARAMETER ThrottleLimit
    How many servers at most run at once (32 by default, as Invoke-Command).

    .EXAMPLE
    Get-IISSite | Where-Object Name -like 'ftp*' | Set-IisFtpsSetting -ClientCertificatePolicy CertRequire -WhatIf

    Shows what requiring client certificates on every FTP site would change, writing nothing.

    .EXAMPLE
    Set-IisFtpsSetting -SiteDefaults -ValidationFlags CertChainCacheOnlyUrlRetrieval

    Makes every site that sets no validation flags of its own fetch revocation lists from the cache only.

    .EXAMPLE
    Set-IisFtpsSetting -SiteName 'Public Drop' -ServerCertHash '57686f6120447564652c2049495320526f636b73' -ControlChannelPolicy SslRequire -DataChannelPolicy SslRequire -ClientCertificatePolicy CertRequire -UseActiveDirectoryMapping $true -ClientCertAuthentication $true -Verbose

    The reference scenario: TLS required on both channels, client certificates required and used for logon, in one commit.

    .EXAMPLE
    'Partner Exchange', 'Public Drop' | Set-IisFtpsSetting -ConfigPath ./applicationHost.config -RevocationUrlRetrievalTimeout '00:00:30' -PassThru

    Changes two sites of a configuration file in one write and shows their settings after.

    .EXAMPLE
    Set-IisFtpsSetting -DesiredState ./ftps-baseline.json -ComputerName ftp01, ftp02, ftp03 -WhatIf

    Shows, per server, what applying one baseline file would change (each server then commits its own changes in one commit without -WhatIf).

    .EXAMPLE
    Set-IisFtpsSetting -SiteDefaults -ControlChannelPolicy SslRequire -HostName ftp01, ftp02 -UserName admin -KeyFilePath ~/.ssh/id_ed25519 -WhatIf

    Shows per server what the change would do over SSH, writing nothing anywhere; without -WhatIf each server commits its own change, and one server's failure does not stop the others.

    .INPUTS
    System.String. Objects with a Name or SiteName property.

    .OUTPUTS
    None, or IisFtps.Setting with -PassThru.

    .LINK
    Get-IisFtpsSetting

    .LINK
    Reset-IisFtpsSetting
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium', DefaultParameterSetName = 'Site')]
    [OutputType('IisFtps.Setting')]
    param(
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'Site', ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [Alias('Name')]
        [ValidateNotNullOrEmpty()]
        [string[]] $SiteName,

        [Parameter(Mandatory, ParameterSetName = 'SiteDefaults')]
        [switch] $SiteDefaults,

        [Parameter(Mandatory, ParameterSetName = 'DesiredState')]
        [object] $DesiredState,

        [string] $ConfigPath,

        [ArgumentCompleter({ param($c, $p, $w) & (Get-Command -Name $c -CommandType Function).Module { param($p, $w) Get-IisFtpsCompletionResult -ParameterName $p -WordToComplete $w } $p $w })]
        [string] $ClientCertificatePolicy,

        [ArgumentCompleter({ param($c, $p, $w) & (Get-Command -Name $c -CommandType Function).Module { param($p, $w) Get-IisFtpsCompletionResult -ParameterName $p -WordToComplete $w } $p $w })]
        [AllowEmptyCollection()]
        [string[]] $ValidationFlags,

        [object] $RevocationFreshnessTime,

        [object] $RevocationUrlRetrievalTimeout,

        [bool] $UseActiveDirectoryMapping,

        [ArgumentCompleter({ param($c, $p, $w) & (Get-Command -Name $c -CommandType Function).Module { param($p, $w) Get-IisFtpsCompletionResult -ParameterName $p -WordToComplete $w } $p $w })]
        [string] $ControlChannelPolicy,

        [ArgumentCompleter({ param($c, $p, $w) & (Get-Command -Name $c -CommandType Function).Module { param($p, $w) Get-IisFtpsCompletionResult -ParameterName $p -WordToComplete $w } $p $w })]
        [string] $DataChannelPolicy,

        [string] $ServerCertHash,

        [string] $ServerCertStoreName,

        [bool] $Ssl128,

        [bool] $ClientCertAuthentication,

        [switch] $PassThru,

        # ---- remoting: run on many servers (module/Private/Remoting.ps1) ----
        [ValidateNotNullOrEmpty()] [string[]] $ComputerName,
        [ValidateNotNullOrEmpty()] [string[]] $HostName,
        [string] $UserName,
        [string] $KeyFilePath,
        [ValidateRange(1, 65535)] [int] $Port,
        [hashtable] $SSHOption,
        [ValidateNotNullOrEmpty()] [System.Management.Automation.Runspaces.PSSession[]] $Session,
        [pscredential] $Credential,
        [ValidateRange(1, 1024)] [int] $ThrottleLimit
    )
    begin {
        $remoteNames = $null
        $requests = [ordered]@{}
        $desired = $null
        try {
            if ($PSCmdlet.ParameterSetName -eq 'DesiredState') {
                $given = @(Get-IisFtpsSettingDef | Where-Object { $PSBoundParameters.ContainsKey($_.parameter) } | ForEach-Object { '-' + $_.parameter })
                if ($given.Count -gt 0) { throw (New-IisFtpsException -Code USAGE -Message ('-DesiredState names the settings itself; {0} goes with -SiteName or -SiteDefaults.' -f ($given -join ', '))) }
                # Checked here, before any server is contacted; servers get it as checked data.
                $desired = ConvertTo-IisFtpsDesiredRequest -InputObject $DesiredState -Cmdlet $PSCmdlet
            }
        } catch { $PSCmdlet.ThrowTerminatingError((New-IisFtpsErrorRecord -ErrorObject $_)) }
        if (Test-IisFtpsRemoting $PSBoundParameters) {
            if ($null -ne $desired) { $PSBoundParameters['DesiredState'] = ConvertTo-IisFtpsDesiredStateTable -Requests $desired }
            $remoteNames = New-Object System.Collections.Generic.List[string]
            return
        }
        if ($null -ne $desired) {
            foreach ($req in $desired) { $requests[$req.key] = $req }
            $config = Resolve-IisFtpsConfigPath -Cmdlet $PSCmdlet -ConfigPath $ConfigPath
            return
        }
        try {
            $config = Resolve-IisFtpsConfigPath -Cmdlet $PSCmdlet -ConfigPath $ConfigPath
            $values = [ordered]@{}
            foreach ($def in Get-IisFtpsSettingDef) {
                if ($PSBoundParameters.ContainsKey($def.parameter)) {
                    $values[$def.name] = ConvertTo-IisFtpsCanonicalValue -Def $def -InputObject (Get-IisFtpsParameterValue $PSBoundParameters[$def.parameter])
                }
            }
            if ($values.Count -eq 0) {
                throw (New-IisFtpsException -Code USAGE -Message ('Name at least one setting to set, e.g. -ClientCertificatePolicy CertRequire. Settings: {0}' -f ((Get-IisFtpsSettingDef | ForEach-Object { '-' + $_.parameter }) -join ', ')))
            }
        } catch {
            $PSCmdlet.ThrowTerminatingError((New-IisFtpsErrorRecord -ErrorObject $_))
        }
    }
    process {
        if ($null -ne $remoteNames) { foreach ($n in @($SiteName)) { if ($n) { $remoteNames.Add($n) } }; return }
        if ($null -ne $desired) { return }
        try {
            if ($SiteDefaults) { $targets = @(New-IisFtpsTarget -SiteDefaults) } else { $targets = @($SiteName | ForEach-Object { New-IisFtpsTarget -SiteName $_ }) }
        } catch {
            $PSCmdlet.ThrowTerminatingError((New-IisFtpsErrorRecord -ErrorObject $_))
        }
        foreach ($t in $targets) {
            if (-not $requests.Contains($t.key)) { $requests[$t.key] = $t + @{ values = $values } }
        }
    }
    end {
        if ($null -ne $remoteNames) {
            try { Invoke-IisFtpsFanOut -Cmdlet $PSCmdlet -CommandName $MyInvocation.MyCommand.Name -BoundParameters $PSBoundParameters -SiteName $remoteNames.ToArray() -Summary } catch { $PSCmdlet.ThrowTerminatingError((New-IisFtpsErrorRecord -ErrorObject $_)) }
            return
        }
        try {
            Write-IisFtpsChangePlan -Cmdlet $PSCmdlet -Requests @($requests.Values) -Verb 'Set' -ConfigPath $config -PassThru:$PassThru
        } catch {
            $PSCmdlet.ThrowTerminatingError((New-IisFtpsErrorRecord -ErrorObject $_))
        }
    }
}
