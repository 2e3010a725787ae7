function Get-IisFtpsSetting {
    <#
    .SYNOPSIS
    Gets the FTP TLS client-certificate settings of IIS FTP sites or of siteDefaults, each with where its value comes from.

    .DESCRIPTION
    Get-IisFtpsSetting reads <sslClientCertificates>, <ssl> and <authentication><clientCertAuthentication>
    of each site named (or of siteDefaults) and emits one IisFtps.Setting object per target. The object
    has a property per setting with its effective value, and a Source property that tells, per setting,
    whether the value is set on the site ('site'), inherited from siteDefaults ('siteDefaults') or the
    IIS schema default ('default'). Problem lists stored values that IIS would not accept.

    Site names are matched case-insensitively. Site names bind from the pipeline: plain strings, and
    any object with a Name or SiteName property (Get-IISSite, Get-Website, Get-IisFtpsSetting).

    Without -ConfigPath the live IIS configuration is read through Microsoft.Web.Administration
    (Windows with IIS). With -ConfigPath a copy of applicationHost.config is read: through
    ServerManager on Windows (or where IIS_FTPS_MWA_PATH names Microsoft.Web.Administration.dll),
    else through the iis-ftps Node CLI.

    .PARAMETER SiteName
    The names of the FTP sites to read. Accepts pipeline input by value and by property name (Name, SiteName).

    .PARAMETER SiteDefaults
    Read siteDefaults, whose settings every site inherits where it sets none.

    .PARAMETER ConfigPath
    An applicationHost.config file to read instead of the live IIS configuration.

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
    Get-IisFtpsSetting -SiteName 'ftp.example.com' | Format-List

    Shows every setting of the site with its value and source.

    .EXAMPLE
    Get-IISSite | Where-Object Name -like 'ftp*' | Get-IisFtpsSetting | Format-Table SiteName, ClientCertificatePolicy, ControlChannelPolicy

    Compares the client-certificate policy of every FTP site.

    .EXAMPLE
    (Get-IisFtpsSetting -SiteName 'Partner Exchange' -ConfigPath ./applicationHost.config).Source.clientCertificatePolicy

    Tells whether the site sets clientCertificatePolicy itself ('site') or inherits it.

    .EXAMPLE
    Get-IisFtpsSetting -SiteDefaults

    Shows the defaults every FTP site inherits.

    .EXAMPLE
    Get-IisFtpsSetting -SiteName 'Partner Exchange' -ComputerName ftp01, ftp02 | Format-Table PSComputerName, ClientCertificatePolicy

    Reads the site on two servers through WinRM; each result carries PSComputerName.

    .INPUTS
    System.String. Objects with a Name or SiteName property.

    .OUTPUTS
    IisFtps.Setting

    .LINK
    Set-IisFtpsSetting

    .LINK
    Reset-IisFtpsSetting

    .LINK
    Test-IisFtpsSetting
    #>
    [CmdletBinding(DefaultParameterSetName = 'Site')]
    [OutputType('IisFtps.Setting')]
    param(
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'Site', ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [Alias('Name')]
        [ValidateNotNullOrEmpty()]
        [string[]] $SiteName,

        [Parameter(Mandatory, ParameterSetName = 'SiteDefaults')]
        [switch] $SiteDefaults,

        [string] $ConfigPath,

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
        $config = Resolve-IisFtpsConfigPath -Cmdlet $PSCmdlet -ConfigPath $ConfigPath
    }
    process {
        if ($null -ne $remoteNames) { foreach ($n in @($SiteName)) { if ($n) { $remoteNames.Add($n) } }; return }
        if ($SiteDefaults) { $targets = @(New-IisFtpsTarget -SiteDefaults) } else { $targets = @($SiteName | ForEach-Object { New-IisFtpsTarget -SiteName $_ }) }
        foreach ($t in $targets) {
            try {
                $r = Get-IisFtpsTargetSettings -Target $t -ConfigPath $config
                New-IisFtpsSettingObject -Target $r.target -Settings $r.settings -ConfigPath $config
            } catch {
                $PSCmdlet.WriteError((New-IisFtpsErrorRecord -ErrorObject $_ -TargetObject $t.name))
            }
        }
    }
    end {
        if ($null -ne $remoteNames) {
            try { Invoke-IisFtpsFanOut -Cmdlet $PSCmdlet -CommandName $MyInvocation.MyCommand.Name -BoundParameters $PSBoundParameters -SiteName $remoteNames.ToArray() } catch { $PSCmdlet.ThrowTerminatingError((New-IisFtpsErrorRecord -ErrorObject $_)) }
        }
    }
}
