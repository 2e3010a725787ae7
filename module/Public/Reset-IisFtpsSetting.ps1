function Reset-IisFtpsSetting {
    <#
    .SYNOPSIS
    Removes FTP TLS client-certificate settings from IIS FTP sites or siteDefaults, so they inherit again.

    .DESCRIPTION
    Reset-IisFtpsSetting removes the settings named by -Setting (all of them when omitted) from each
    site (-SiteName, from the pipeline too) or from siteDefaults (-SiteDefaults). A site then inherits
    the value from siteDefaults; siteDefaults falls back to the IIS schema default. A setting not set
    at that level changes nothing.

    All sites of one pipeline run are committed together at its end, in one
    ServerManager.CommitChanges() (or one atomic write through the Node CLI): all of them, or on any
    error none. -WhatIf shows each change (old -> the value inherited after) and writes nothing;
    -Confirm asks per target; -Verbose shows old -> new.

    .PARAMETER SiteName
    The names of the FTP sites to change. Accepts pipeline input by value and by property name (Name, SiteName).

    .PARAMETER SiteDefaults
    Reset settings of siteDefaults to the IIS schema defaults.

    .PARAMETER Setting
    The settings to reset, by schema name (clientCertificatePolicy, revocationFreshnessTime, ...;
    any case; Tab completes them). All settings when omitted.

    .PARAMETER ConfigPath
    An applicationHost.config file to change instead of the live IIS configuration.

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
    Reset-IisFtpsSetting -SiteName 'ftp.example.com' -Setting RevocationFreshnessTime

    Makes the site inherit revocationFreshnessTime from siteDefaults again.

    .EXAMPLE
    Get-IISSite | Where-Object Name -like 'ftp*' | Reset-IisFtpsSetting -WhatIf

    Shows which site-level settings of every FTP site would be removed, writing nothing.

    .EXAMPLE
    Reset-IisFtpsSetting -SiteDefaults -Setting validationFlags, clientCertificatePolicy -ConfigPath ./applicationHost.config -Confirm

    Returns two defaults to the IIS schema defaults in a configuration file, asking first.

    .EXAMPLE
    Reset-IisFtpsSetting -SiteName 'Partner Exchange' -Setting Ssl128 -Session (New-PSSession ftp01, ftp02)

    Makes ssl128 inherit again on the site of both servers, one IisFtps.ServerResult per server.

    .INPUTS
    System.String. Objects with a Name or SiteName property.

    .OUTPUTS
    None, or IisFtps.Setting with -PassThru.

    .LINK
    Set-IisFtpsSetting

    .LINK
    Get-IisFtpsSetting
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

        [ArgumentCompleter({ param($c, $p, $w) & (Get-Command -Name $c -CommandType Function).Module { param($p, $w) Get-IisFtpsCompletionResult -ParameterName $p -WordToComplete $w } $p $w })]
        [ValidateNotNullOrEmpty()]
        [string[]] $Setting,

        [string] $ConfigPath,

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
        if (Test-IisFtpsRemoting $PSBoundParameters) { $remoteNames = New-Object System.Collections.Generic.List[string]; return }
        try {
            $config = Resolve-IisFtpsConfigPath -Cmdlet $PSCmdlet -ConfigPath $ConfigPath
            if ($PSBoundParameters.ContainsKey('Setting')) { $defs = @($Setting | ForEach-Object { Get-IisFtpsSettingDef -Name $_ }) } else { $defs = @(Get-IisFtpsSettingDef) }
            $values = [ordered]@{}
            foreach ($def in $defs) { $values[$def.name] = $null }
        } catch {
            $PSCmdlet.ThrowTerminatingError((New-IisFtpsErrorRecord -ErrorObject $_))
        }
        $requests = [ordered]@{}
    }
    process {
        if ($null -ne $remoteNames) { foreach ($n in @($SiteName)) { if ($n) { $remoteNames.Add($n) } }; return }
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
            Write-IisFtpsChangePlan -Cmdlet $PSCmdlet -Requests @($requests.Values) -Verb 'Reset' -ConfigPath $config -PassThru:$PassThru
        } catch {
            $PSCmdlet.ThrowTerminatingError((New-IisFtpsErrorRecord -ErrorObject $_))
        }
    }
}
