# Fan-out through PowerShell remoting: a cmdlet given -ComputerName (WinRM), -HostName (SSH) or
# -Session runs itself on each server with Invoke-Command, where the IisFtps module must be
# installed. Each server applies its own changes in its own commit (the cmdlet's usual one commit
# per pipeline run, there); one server's failure is reported for that server and never stops the
# others; every result carries PSComputerName.
#
# Nothing user-supplied becomes code: the script block below is fixed, and the command name, the
# parameters and the site names travel as Invoke-Command arguments (serialized data).

$script:IisFtpsRemotingParameters = @('ComputerName', 'HostName', 'UserName', 'KeyFilePath', 'Port', 'SSHOption', 'Session', 'Credential', 'ThrottleLimit')

# Runs on each server. Returns the cmdlet's output; for the commands that change or check
# (Set-, Reset-), one IisFtps.ServerResult per server as well, with the changes the cmdlet
# reported (its "setting: old -> new" lines) and, on failure, the error instead of a thrown one.
$script:IisFtpsRemoteScript = {
    param([string] $CommandName, [hashtable] $Parameters, [object[]] $SiteName, [bool] $Summary, [bool] $ShowVerbose)
    $ErrorActionPreference = 'Stop'
    $result = [ordered]@{ PSTypeName = 'IisFtps.ServerResult'; Command = $CommandName; Succeeded = $false; WhatIf = [bool]$Parameters['WhatIf']; Changes = @(); ErrorCode = $null; Error = $null }
    try {
        $module = @(Get-Module -ListAvailable -Name IisFtps | Sort-Object Version -Descending)
        if ($module.Count -eq 0) {
            $e = New-Object System.InvalidOperationException -ArgumentList ("The IisFtps module is not installed on {0} (PowerShell {1}; looked in {2}). Install it there: Install-PSResource IisFtps, or copy it from here with Copy-Item -ToSession (New-PSSession {0}) -Recurse -Path (Get-Module IisFtps -ListAvailable)[0].ModuleBase -Destination <a folder of `$env:PSModulePath there>/IisFtps." -f [System.Environment]::MachineName, $PSVersionTable.PSVersion, $env:PSModulePath)
            $e.Data['IisFtpsCode'] = 'BACKEND_UNAVAILABLE'
            throw $e
        }
        Import-Module $module[0].Path -ErrorAction Stop
        $Parameters['Verbose'] = $true
        if ((Get-Command -Name $CommandName).Parameters.ContainsKey('Confirm')) { $Parameters['Confirm'] = $false }
        $records = @(if ($SiteName.Count -gt 0) { $SiteName | & $CommandName @Parameters 4>&1 } else { & $CommandName @Parameters 4>&1 })
        $changes = New-Object System.Collections.Generic.List[string]
        foreach ($r in $records) {
            if ($r -is [System.Management.Automation.VerboseRecord]) {
                if ($r.Message -match '^(site ".*"( \(id \d+\))?|siteDefaults): \w+: .* -> .*$') { $changes.Add($r.Message) }
                if ($ShowVerbose) { Write-Verbose $r.Message }
            } else { $r }
        }
        $result.Changes = $changes.ToArray()
        $result.Succeeded = $true
    } catch {
        if (-not $Summary) { throw }
        $ex = $_.Exception
        while ($null -ne $ex.InnerException -and -not $ex.Data.Contains('IisFtpsCode')) { $ex = $ex.InnerException }
        $code = $(if ($ex.Data.Contains('IisFtpsCode')) { [string]$ex.Data['IisFtpsCode'] } else { ([string]$_.FullyQualifiedErrorId).Split(',')[0] })
        $result.ErrorCode = $code
        $result.Error = $_.Exception.Message
    }
    if ($Summary) { [pscustomobject]$result }
}

function Test-IisFtpsRemoting {
    <# Whether a cmdlet call names servers (-ComputerName, -HostName or -Session). #>
    param([Parameter(Mandatory)] [hashtable] $BoundParameters)
    return ($BoundParameters.ContainsKey('ComputerName') -or $BoundParameters.ContainsKey('HostName') -or $BoundParameters.ContainsKey('Session'))
}

function New-IisFtpsServerResult {
    <# The IisFtps.ServerResult of a server that could not run the command (unreachable, no module). #>
    param([string] $ComputerName, [string] $Command, [string] $Code, [string] $Message, [bool] $WhatIf)
    return [pscustomobject][ordered]@{ PSTypeName = 'IisFtps.ServerResult'; PSComputerName = $ComputerName; Command = $Command; Succeeded = $false; WhatIf = $WhatIf; Changes = @(); ErrorCode = $Code; Error = $Message }
}

function Resolve-IisFtpsSshTarget {
    <#
    The host and port ssh would connect to for a -HostName (user@host:port, as PowerShell takes it),
    ssh_config included: ssh -G prints them without connecting. $null when ssh cannot say (then ssh
    itself reports the server). The host is passed after '--', so it is never an option.
    #>
    param([Parameter(Mandatory)] [string] $HostName, [int] $Port, [hashtable] $Options = @{}, [Parameter(Mandatory)] [string] $Ssh)
    $m = [regex]::Match($HostName, '^(?:[^@]+@)?(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$')
    if (-not $m.Success) { return $null }
    if ($m.Groups[2].Success -and $Port -eq 0) { $Port = [int]$m.Groups[2].Value }
    $arguments = @('-G')
    if ($Port -gt 0) { $arguments += @('-p', [string]$Port) }
    foreach ($k in $Options.Keys) { $arguments += @('-o', ('{0}={1}' -f $k, $Options[$k])) }
    $arguments += @('--', $m.Groups[1].Value.Trim('[', ']'))
    $config = @(& $Ssh @arguments 2>$null)
    if ($LASTEXITCODE -ne 0) { return $null }
    $hostLine = @($config | Where-Object { $_ -like 'hostname *' } | Select-Object -First 1)
    $portLine = @($config | Where-Object { $_ -like 'port *' } | Select-Object -First 1)
    if ($hostLine.Count -eq 0 -or $portLine.Count -eq 0) { return $null }
    return @{ host = $hostLine[0].Substring('hostname '.Length).Trim(); port = [int]$portLine[0].Substring('port '.Length).Trim() }
}

function Test-IisFtpsSshConnect {
    <#
    Whether SSH servers accept a connection, at the host and port ssh would use
    (Resolve-IisFtpsSshTarget): one text per -HostName, in order, empty when it does (or when ssh
    cannot say where it would connect, then ssh itself reports it), else why not. Every server is
    tried at once, within one -TimeoutMs, so unreachable servers do not add up.
    #>
    param([Parameter(Mandatory)] [string[]] $HostName, [int] $Port, [hashtable] $Options = @{}, [int] $TimeoutMs = 15000)
    $ssh = Get-Command -Name ssh -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    $checks = @(foreach ($h in $HostName) {
            $check = @{ target = $null; client = $null; task = $null; why = '' }
            if ($null -ne $ssh) { $check.target = Resolve-IisFtpsSshTarget -HostName $h -Port $Port -Options $Options -Ssh $ssh.Source }
            if ($null -ne $check.target) {
                $check.client = New-Object System.Net.Sockets.TcpClient
                try { $check.task = $check.client.ConnectAsync($check.target.host, $check.target.port) }
                catch { $check.why = '{0} port {1} accepts no connection ({2})' -f $check.target.host, $check.target.port, (Get-IisFtpsInnermostException $_.Exception).GetBaseException().Message }
            }
            $check
        })
    $deadline = [datetime]::UtcNow.AddMilliseconds($TimeoutMs)
    foreach ($check in $checks) {
        try {
            if ($null -ne $check.task) {
                $left = [int][math]::Max(0, ($deadline - [datetime]::UtcNow).TotalMilliseconds)
                if (-not $check.task.Wait($left)) { $check.why = '{0} port {1} did not answer within {2} s' -f $check.target.host, $check.target.port, [int]($TimeoutMs / 1000) }
            }
        } catch {
            $check.why = '{0} port {1} accepts no connection ({2})' -f $check.target.host, $check.target.port, (Get-IisFtpsInnermostException $_.Exception).GetBaseException().Message
        } finally {
            if ($null -ne $check.client) { $check.client.Dispose() }
        }
        [string]$check.why
    }
}

function Invoke-IisFtpsFanOut {
    <#
    Runs -CommandName with the caller's parameters (less the remoting ones) on every server, at
    most -ThrottleLimit at once, and emits what each server returns with PSComputerName. A server
    that fails gets a non-terminating error naming it (and, for Set- and Reset-, an
    IisFtps.ServerResult with Succeeded = $false); the others go on.
    #>
    param(
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)] [string] $CommandName,
        [Parameter(Mandatory)] [hashtable] $BoundParameters,
        [AllowEmptyCollection()] [object[]] $SiteName = @(),
        [switch] $Summary
    )
    $given = @('ComputerName', 'HostName', 'Session' | Where-Object { $BoundParameters.ContainsKey($_) })
    if ($given.Count -ne 1) {
        throw (New-IisFtpsException -Code USAGE -Message ('Name the servers one way: -ComputerName (WinRM), -HostName (SSH) or -Session; got {0}.' -f (($given | ForEach-Object { '-' + $_ }) -join ' and ')))
    }
    if (-not $BoundParameters.ContainsKey('HostName')) {
        foreach ($p in 'UserName', 'KeyFilePath', 'SSHOption') { if ($BoundParameters.ContainsKey($p)) { throw (New-IisFtpsException -Code USAGE -Message ('-{0} goes with -HostName (SSH).' -f $p)) } }
    }
    $local = @{}
    foreach ($k in $BoundParameters.Keys) {
        if ($script:IisFtpsRemotingParameters -contains $k -or $k -eq 'SiteName' -or $k -eq 'Verbose' -or $k -eq 'Confirm' -or $k -eq 'WhatIf') { continue }
        $v = $BoundParameters[$k]
        # A switch travels as a boolean (a deserialized SwitchParameter would not bind).
        if ($v -is [System.Management.Automation.SwitchParameter]) { $v = $v.IsPresent }
        $local[$k] = $v
    }
    $whatIf = [bool]$WhatIfPreference
    if ($Cmdlet.MyInvocation.MyCommand.Parameters.ContainsKey('WhatIf')) { $local['WhatIf'] = $whatIf }
    $showVerbose = $VerbosePreference -ne 'SilentlyContinue'
    $icm = @{
        ScriptBlock   = $script:IisFtpsRemoteScript
        ArgumentList  = @($CommandName, $local, [object[]]@($SiteName), [bool]$Summary, $showVerbose)
        ErrorAction   = 'SilentlyContinue'
        ErrorVariable = 'failures'
    }
    $opened = $null
    $connectFailures = $null
    if ($BoundParameters.ContainsKey('ThrottleLimit')) { $icm.ThrottleLimit = $BoundParameters['ThrottleLimit'] }
    if ($BoundParameters.ContainsKey('Port')) { $icm.Port = $BoundParameters['Port'] }
    if ($BoundParameters.ContainsKey('ComputerName')) {
        $icm.ComputerName = $BoundParameters['ComputerName']
        if ($BoundParameters.ContainsKey('Credential')) { $icm.Credential = $BoundParameters['Credential'] }
        $servers = @($BoundParameters['ComputerName'])
    } elseif ($BoundParameters.ContainsKey('HostName')) {
        # Invoke-Command -HostName has no -ThrottleLimit: open the SSH sessions first (New-PSSession
        # opens them at once), run in them, and close them after.
        # A host that accepts no connection is reported here, and ssh is not started for it:
        # PowerShell 7's SSH transport can end the whole process when ssh fails to connect
        # (an unhandled IOException, "Broken pipe", from its error thread's CloseConnection).
        $sshOptions = $(if ($BoundParameters.ContainsKey('SSHOption')) { $BoundParameters['SSHOption'] } else { @{} })
        $port = $(if ($BoundParameters.ContainsKey('Port')) { [int]$BoundParameters['Port'] } else { 0 })
        $reachable = New-Object System.Collections.Generic.List[string]
        $unreachable = New-Object System.Collections.Generic.List[object]
        $hosts = @($BoundParameters['HostName'])
        $whys = @(Test-IisFtpsSshConnect -HostName $hosts -Port $port -Options $sshOptions)
        for ($i = 0; $i -lt $hosts.Count; $i++) {
            if ($whys[$i]) { $unreachable.Add(@{ host = $hosts[$i]; why = $whys[$i] }) } else { $reachable.Add($hosts[$i]) }
        }
        $ssh = @{ HostName = $reachable.ToArray(); ErrorAction = 'SilentlyContinue'; ErrorVariable = 'connectFailures' }
        foreach ($p in 'UserName', 'KeyFilePath', 'Port') { if ($BoundParameters.ContainsKey($p)) { $ssh[$p] = $BoundParameters[$p] } }
        if ($BoundParameters.ContainsKey('SSHOption')) { $ssh.Options = $BoundParameters['SSHOption'] }
        $icm.Remove('Port')
        $connectFailures = $null
        $opened = @(if ($reachable.Count -gt 0) { New-PSSession @ssh })
        $icm.Session = $opened
        $servers = @($BoundParameters['HostName'])
    } else {
        $icm.Session = $BoundParameters['Session']
        $servers = @($BoundParameters['Session'] | ForEach-Object { $_.ComputerName })
    }
    Write-Verbose ('Running {0} on {1} server(s): {2}' -f $CommandName, $servers.Count, ($servers -join ', '))
    $failures = $null
    $results = @(if ($null -eq $opened -or $opened.Count -gt 0) { try { Invoke-Command @icm } finally { if ($null -ne $opened) { $opened | Remove-PSSession } } })
    $failures = @($connectFailures) + @($failures)
    if ($BoundParameters.ContainsKey('HostName')) {
        foreach ($u in $unreachable) {
            $message = 'Cannot run {0} on {1}: {2}' -f $CommandName, $u.host, $u.why
            if ($Summary) { New-IisFtpsServerResult -ComputerName $u.host -Command $CommandName -Code BACKEND_UNAVAILABLE -Message $message -WhatIf $whatIf }
            $ex = New-IisFtpsException -Code BACKEND_UNAVAILABLE -Message $message
            $Cmdlet.WriteError((New-Object System.Management.Automation.ErrorRecord -ArgumentList $ex, 'BACKEND_UNAVAILABLE', (Get-IisFtpsErrorCategory -Code BACKEND_UNAVAILABLE), $u.host))
        }
    }
    foreach ($r in $results) {
        # Deserialized objects keep their type name, so they format as at home.
        $type = @($r.PSObject.TypeNames | Where-Object { $_ -like 'Deserialized.IisFtps.*' })
        if ($type.Count -gt 0) { $r.PSObject.TypeNames.Insert(0, $type[0].Substring('Deserialized.'.Length)) }
        $r
        # A server where the command failed: its result says so, and so does an error naming it.
        if ($type -contains 'Deserialized.IisFtps.ServerResult' -and -not $r.Succeeded) {
            $code = $(if ((Get-IisFtpsSchema).errorCodes -contains $r.ErrorCode) { [string]$r.ErrorCode } else { 'BACKEND_FAILED' })
            $ex = New-IisFtpsException -Code $code -Message ('{0}: {1}' -f $r.PSComputerName, $r.Error)
            $Cmdlet.WriteError((New-Object System.Management.Automation.ErrorRecord -ArgumentList $ex, $code, (Get-IisFtpsErrorCategory -Code $code), $r.PSComputerName))
        }
    }
    foreach ($f in @($failures)) {
        if ($null -eq $f) { continue }
        $computer = $null
        if ($null -ne $f.PSObject.Properties['OriginInfo'] -and $null -ne $f.OriginInfo) { $computer = $f.OriginInfo.PSComputerName }
        $target = $f.TargetObject
        # A connection that failed names its runspace; the runspace knows the server.
        if (-not $computer -and $target -is [System.Management.Automation.Runspaces.Runspace] -and $null -ne $target.ConnectionInfo) { $computer = [string]$target.ConnectionInfo.ComputerName }
        if (-not $computer -and $target -is [System.Management.Automation.Runspaces.PSSession]) { $computer = [string]$target.ComputerName }
        if (-not $computer -and $target) { $computer = [string]$target }
        if (-not $computer -and $null -ne $f.PSObject.Properties['ErrorDetails_ComputerName']) { $computer = [string]$f.ErrorDetails_ComputerName }
        $remoteCode = ([string]$f.FullyQualifiedErrorId).Split(',')[0]
        $code = $(if ((Get-IisFtpsSchema).errorCodes -contains $remoteCode) { $remoteCode } else { 'BACKEND_UNAVAILABLE' })
        $message = $(if ($code -eq 'BACKEND_UNAVAILABLE' -and $remoteCode -ne $code) { 'Cannot run {0} on {1}: {2}' -f $CommandName, $computer, $f.Exception.Message } else { '{0}: {1}' -f $computer, $f.Exception.Message })
        if ($Summary) { New-IisFtpsServerResult -ComputerName $computer -Command $CommandName -Code $code -Message $message -WhatIf $whatIf }
        $ex = New-IisFtpsException -Code $code -Message $message -InnerException $f.Exception
        $Cmdlet.WriteError((New-Object System.Management.Automation.ErrorRecord -ArgumentList $ex, $code, (Get-IisFtpsErrorCategory -Code $code), $computer))
    }
}
