function Test-IisFtpsSetting {
    <#
    .SYNOPSIS
    Checks FTP sites for settings that keep client-certificate authentication from working, and for weak spots.

    .DESCRIPTION
    Test-IisFtpsSetting runs the doctor rules of iis-ftps on the effective settings of each site named,
    of siteDefaults, or (with neither) of siteDefaults and every site with an FTP binding, and emits one
    IisFtps.Finding object per broken rule: the target, Severity ('error' or 'warning'), the Rule id and
    a Message that says what to change. A target with no findings emits nothing.

    The errors are the dependencies of clientCertAuthentication (a server certificate, a
    clientCertificatePolicy other than CertIgnore, useActiveDirectoryMapping, a data channel that
    allows TLS) and stored values IIS would not accept; the warnings are NoRevocationCheck, client
    certificates without TLS, and CertRequire with optional TLS on the control channel.

    .PARAMETER SiteName
    The names of the sites to check. Accepts pipeline input by value and by property name (Name, SiteName).

    .PARAMETER SiteDefaults
    Check siteDefaults.

    .PARAMETER ConfigPath
    An applicationHost.config file to check instead of the live IIS configuration.

    .PARAMETER Quiet
    Return only $true when no rule of severity 'error' is broken, else $false.

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
    Test-IisFtpsSetting -SiteName 'ftp.example.com'

    Lists what stops client certificates from working on the site, as objects.

    .EXAMPLE
    Test-IisFtpsSetting | Where-Object Severity -eq 'error' | Format-Table SiteName, Rule, Message -Wrap

    Checks siteDefaults and every FTP site, and shows only the errors.

    .EXAMPLE
    if (-not (Test-IisFtpsSetting -SiteName 'Partner Exchange' -ConfigPath ./applicationHost.config -Quiet)) { throw 'FTPS is misconfigured' }

    Fails a provisioning script when a dependency is missing.

    .EXAMPLE
    Test-IisFtpsSetting -ComputerName ftp01, ftp02, ftp03 | Format-Table PSComputerName, SiteName, Rule

    Checks every FTP site of three servers; each finding carries PSComputerName.

    .INPUTS
    System.String. Objects with a Name or SiteName property.

    .OUTPUTS
    IisFtps.Finding, or System.Boolean with -Quiet.

    .LINK
    Get-IisFtpsSetting

    .LINK
    Set-IisFtpsSetting
    #>
    [CmdletBinding(DefaultParameterSetName = 'Site')]
    [OutputType('IisFtps.Finding', [bool])]
    param(
        [Parameter(Position = 0, ParameterSetName = 'Site', ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [Alias('Name')]
        [ValidateNotNullOrEmpty()]
        [string[]] $SiteName,

        [Parameter(Mandatory, ParameterSetName = 'SiteDefaults')]
        [switch] $SiteDefaults,

        [string] $ConfigPath,

        [switch] $Quiet,

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
        $names = New-Object System.Collections.Generic.List[string]
        $ok = $true
        $failed = $false
    }
    process {
        if ($null -ne $remoteNames) { foreach ($n in @($SiteName)) { if ($n) { $remoteNames.Add($n) } }; return }
        foreach ($n in @($SiteName)) { if ($n) { $names.Add($n) } }
    }
    end {
        if ($null -ne $remoteNames) {
            try { Invoke-IisFtpsFanOut -Cmdlet $PSCmdlet -CommandName $MyInvocation.MyCommand.Name -BoundParameters $PSBoundParameters -SiteName $remoteNames.ToArray() } catch { $PSCmdlet.ThrowTerminatingError((New-IisFtpsErrorRecord -ErrorObject $_)) }
            return
        }
        if (-not $SiteDefaults -and $names.Count -eq 0 -and $MyInvocation.ExpectingInput) { return }
        $calls = @()
        if ($SiteDefaults) { $calls += , @{ SiteDefaults = $true } }
        elseif ($names.Count -eq 0) { $calls += , @{} }
        else { foreach ($n in $names) { $calls += , @{ SiteName = @($n) } } }
        foreach ($call in $calls) {
            try {
                foreach ($result in @(Get-IisFtpsDoctorResult @call -ConfigPath $config)) {
                    if (@($result.findings).Count -eq 0) { Write-Verbose ('{0}: ok' -f (Get-IisFtpsTargetLabel $result.target)) }
                    foreach ($f in @($result.findings)) {
                        if ($f.severity -eq 'error') { $ok = $false }
                        if (-not $Quiet) { New-IisFtpsFindingObject -Target $result.target -Finding $f }
                    }
                }
            } catch {
                $failed = $true
                $PSCmdlet.WriteError((New-IisFtpsErrorRecord -ErrorObject $_ -TargetObject $call['SiteName']))
            }
        }
        if ($Quiet) { return ($ok -and -not $failed) }
    }
}
