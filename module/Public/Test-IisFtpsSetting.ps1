function Test-IisFtpsSetting {
    <#
    .SYNOPSIS
    Checks FTP sites for settings that keep client-certificate authentication from working, and for weak spots; or, with -DesiredState, how they differ from a desired state.

    .DESCRIPTION
    Test-IisFtpsSetting runs the doctor rules of iis-ftps on the effective settings of each site named,
    of siteDefaults, or (with neither) of siteDefaults and every site with an FTP binding, and emits one
    IisFtps.Finding object per broken rule: the target, Severity ('error' or 'warning'), the Rule id and
    a Message that says what to change. A target with no findings emits nothing.

    The errors are the dependencies of clientCertAuthentication (a server certificate, a
    clientCertificatePolicy other than CertIgnore, useActiveDirectoryMapping, a data channel that
    allows TLS) and stored values IIS would not accept; the warnings are NoRevocationCheck, client
    certificates without TLS, and CertRequire with optional TLS on the control channel.

    With -DesiredState, Test-IisFtpsSetting reports drift instead: one IisFtps.Drift object per
    setting the desired state names whose level does not set it as desired (Setting, Actual: what
    the level sets itself, $null when it inherits; Desired; Problem when the stored value cannot be
    read). A value only inherited from siteDefaults is not set at the site's level, and $null wants
    nothing set there, so the settings reported are exactly those Set-IisFtpsSetting -DesiredState
    would change. Nothing is written.

    .PARAMETER SiteName
    The names of the sites to check. Accepts pipeline input by value and by property name (Name, SiteName).

    .PARAMETER SiteDefaults
    Check siteDefaults.

    .PARAMETER ConfigPath
    An applicationHost.config file to check instead of the live IIS configuration.

    .PARAMETER DesiredState
    A desired state to compare with: a hashtable, an object (ConvertFrom-Json), or the path of a
    JSON file, as 'iis-ftps apply --desired' takes it:
    @{ siteDefaults = @{ SETTING = VALUE }; sites = @{ 'SITE NAME' = @{ SETTING = VALUE } } }.
    Settings are named as in the schema (clientCertificatePolicy) or as the parameters of
    Set-IisFtpsSetting; $null means inherit. Every value is checked before anything is read.

    .PARAMETER Quiet
    Return only $true when no rule of severity 'error' is broken (with -DesiredState: when nothing drifts), else $false.

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
    Test-IisFtpsSetting -DesiredState @{ siteDefaults = @{ ControlChannelPolicy = 'SslRequire' }; sites = @{ 'Partner Exchange' = @{ ClientCertificatePolicy = 'CertRequire' } } }

    Lists each setting that is not as desired, with its actual and desired value; nothing when all are so.

    .EXAMPLE
    Test-IisFtpsSetting -DesiredState ./ftps-baseline.json -ComputerName ftp01, ftp02, ftp03 | Format-Table PSComputerName, SiteName, Setting, Actual, Desired

    A drift report of three servers against one baseline file (read here, sent to each server).

    .EXAMPLE
    Test-IisFtpsSetting -ComputerName ftp01, ftp02, ftp03 | Format-Table PSComputerName, SiteName, Rule

    Checks every FTP site of three servers; each finding carries PSComputerName.

    .INPUTS
    System.String. Objects with a Name or SiteName property.

    .OUTPUTS
    IisFtps.Finding; IisFtps.Drift with -DesiredState; System.Boolean with -Quiet.

    .LINK
    Get-IisFtpsSetting

    .LINK
    Set-IisFtpsSetting
    #>
    [CmdletBinding(DefaultParameterSetName = 'Site')]
    [OutputType('IisFtps.Finding', 'IisFtps.Drift', [bool])]
    param(
        [Parameter(Position = 0, ParameterSetName = 'Site', ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [Alias('Name')]
        [ValidateNotNullOrEmpty()]
        [string[]] $SiteName,

        [Parameter(Mandatory, ParameterSetName = 'SiteDefaults')]
        [switch] $SiteDefaults,

        [Parameter(Mandatory, ParameterSetName = 'DesiredState')]
        [object] $DesiredState,

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
        $requests = $null
        try {
            # A desired state is checked here, before any server is contacted; servers get it as checked data.
            if ($PSCmdlet.ParameterSetName -eq 'DesiredState') { $requests = ConvertTo-IisFtpsDesiredRequest -InputObject $DesiredState -Cmdlet $PSCmdlet }
        } catch { $PSCmdlet.ThrowTerminatingError((New-IisFtpsErrorRecord -ErrorObject $_)) }
        if (Test-IisFtpsRemoting $PSBoundParameters) {
            if ($null -ne $requests) { $PSBoundParameters['DesiredState'] = ConvertTo-IisFtpsDesiredStateTable -Requests $requests }
            $remoteNames = New-Object System.Collections.Generic.List[string]
            return
        }
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
        if ($null -ne $requests) {
            try {
                $drifted = $false
                foreach ($req in $requests) {
                    $drift = Get-IisFtpsDrift -Request $req -ConfigPath $config
                    $label = Get-IisFtpsTargetLabel $drift.target
                    if ($drift.differences.Count -eq 0) { Write-Verbose ('{0}: as desired ({1} setting(s)).' -f $label, $req.values.Count) }
                    foreach ($d in $drift.differences) {
                        $drifted = $true
                        Write-Verbose (Format-IisFtpsDriftLine -Label $label -Difference $d)
                        if (-not $Quiet) { New-IisFtpsDriftObject -Target $drift.target -Difference $d }
                    }
                }
            } catch { $PSCmdlet.ThrowTerminatingError((New-IisFtpsErrorRecord -ErrorObject $_)) }
            if ($Quiet) { return (-not $drifted) }
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
