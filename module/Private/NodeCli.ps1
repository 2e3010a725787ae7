# The Node CLI path: -ConfigPath where ServerManager is not used (Linux, macOS). Runs
# 'iis-ftps ... --json' as a child process with an argument list (never a command line through a
# shell), site names and values travelling as separate arguments or as JSON on standard input.

function Resolve-IisFtpsCli {
    <#
    The program and leading arguments that run the iis-ftps CLI: $env:IIS_FTPS_CLI (its
    dist/cli/bin.cjs, run with node), else the iis-ftps command on PATH (what
    'npm install --global iis-ftps' puts there). Throws BACKEND_UNAVAILABLE saying what to install.
    #>
    $isWin = [System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT
    $script = $null
    if ($env:IIS_FTPS_CLI) {
        if (-not (Test-Path -LiteralPath $env:IIS_FTPS_CLI -PathType Leaf)) {
            throw (New-IisFtpsException -Code BACKEND_UNAVAILABLE -Message ("IIS_FTPS_CLI names '{0}', which is not a file; point it at the iis-ftps CLI's dist/cli/bin.cjs, or unset it to use iis-ftps on PATH." -f $env:IIS_FTPS_CLI))
        }
        $script = [System.IO.Path]::GetFullPath($env:IIS_FTPS_CLI)
    } else {
        $cmd = @(Get-Command -Name iis-ftps -CommandType Application -ErrorAction SilentlyContinue)
        if ($cmd.Count -gt 0) {
            $found = $cmd[0].Source
            if (-not $isWin) { return @{ file = $found; arguments = @() } }
            # npm's Windows shims are .cmd files, run by cmd.exe: run the script they point at with node instead.
            $shimmed = Join-Path (Split-Path -Parent $found) (Join-Path 'node_modules' (Join-Path 'iis-ftps' (Join-Path 'dist' (Join-Path 'cli' 'bin.cjs'))))
            if (Test-Path -LiteralPath $shimmed -PathType Leaf) { $script = $shimmed }
        }
    }
    if ($null -eq $script) {
        throw (New-IisFtpsException -Code BACKEND_UNAVAILABLE -Message "-ConfigPath needs the iis-ftps command on this system, and it is not on PATH: install Node.js 20.19 or later, then run 'npm install --global iis-ftps' (or set IIS_FTPS_CLI to the path of its dist/cli/bin.cjs).")
    }
    $node = @(Get-Command -Name node -CommandType Application -ErrorAction SilentlyContinue)
    if ($node.Count -eq 0) {
        throw (New-IisFtpsException -Code BACKEND_UNAVAILABLE -Message ("-ConfigPath needs Node.js on this system to run the iis-ftps CLI at {0}, and node is not on PATH: install Node.js 20.19 or later." -f $script))
    }
    return @{ file = $node[0].Source; arguments = @($script) }
}

function ConvertTo-IisFtpsWindowsArgument {
    <# One argument quoted for CommandLineToArgvW (only where ProcessStartInfo.ArgumentList is missing, in .NET Framework). #>
    param([AllowEmptyString()] [string] $Argument)
    if ($Argument -ne '' -and $Argument -notmatch '[\s"]') { return $Argument }
    $sb = New-Object System.Text.StringBuilder
    [void]$sb.Append('"')
    $slashes = 0
    foreach ($c in $Argument.ToCharArray()) {
        if ($c -eq '\') { $slashes++; continue }
        if ($c -eq '"') { [void]$sb.Append('\', 2 * $slashes + 1) } else { [void]$sb.Append('\', $slashes) }
        $slashes = 0
        [void]$sb.Append($c)
    }
    [void]$sb.Append('\', 2 * $slashes)
    [void]$sb.Append('"')
    return $sb.ToString()
}

function Invoke-IisFtpsCli {
    <#
    Runs the iis-ftps CLI with -Arguments (each one argument of the process, never parsed by a
    shell), writes -InputText to its standard input, and returns its --json output parsed. An
    error it reports becomes an iis-ftps exception with its code and message.
    #>
    param([Parameter(Mandatory)] [string[]] $Arguments, [string] $InputText)
    $cli = Resolve-IisFtpsCli
    $all = @($cli.arguments) + @($Arguments)
    $psi = New-Object System.Diagnostics.ProcessStartInfo
    $psi.FileName = $cli.file
    $psi.UseShellExecute = $false
    $psi.RedirectStandardInput = $true
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.CreateNoWindow = $true
    $utf8 = New-Object System.Text.UTF8Encoding -ArgumentList $false
    $psi.StandardOutputEncoding = $utf8
    $psi.StandardErrorEncoding = $utf8
    if ($null -ne $psi.PSObject.Properties['ArgumentList']) {
        foreach ($a in $all) { $psi.ArgumentList.Add($a) }
    } else {
        $psi.Arguments = (@($all | ForEach-Object { ConvertTo-IisFtpsWindowsArgument $_ }) -join ' ')
    }
    Write-Verbose ('Running {0} {1}' -f $psi.FileName, ($all -join ' '))
    try {
        $p = [System.Diagnostics.Process]::Start($psi)
    } catch {
        throw (New-IisFtpsException -Code BACKEND_UNAVAILABLE -Message ('The iis-ftps CLI could not be started ({0}): {1}' -f $psi.FileName, $_.Exception.Message) -InnerException $_.Exception)
    }
    try {
        $stdout = $p.StandardOutput.ReadToEndAsync()
        $stderr = $p.StandardError.ReadToEndAsync()
        if ($InputText) {
            $bytes = $utf8.GetBytes($InputText)
            $p.StandardInput.BaseStream.Write($bytes, 0, $bytes.Length)
        }
        $p.StandardInput.Close()
        $p.WaitForExit()
        $out = $stdout.Result
        $err = $stderr.Result
        $exit = $p.ExitCode
    } finally {
        $p.Dispose()
    }
    foreach ($line in ($err -split "`n")) {
        if ($line.TrimStart().StartsWith('{')) {
            $parsed = $null
            try { $parsed = ConvertFrom-IisFtpsJson -Json $line } catch { $parsed = $null }
            $e = Get-IisFtpsProperty $parsed 'error'
            if ($null -ne $e) {
                $code = [string](Get-IisFtpsProperty $e 'code' 'BACKEND_FAILED')
                if ((Get-IisFtpsSchema).errorCodes -notcontains $code) { $code = 'BACKEND_FAILED' }
                $site = Get-IisFtpsProperty $e 'site'
                if ($null -ne $site) { throw (New-IisFtpsException -Code $code -Message ([string](Get-IisFtpsProperty $e 'message')) -Site ([string]$site)) }
                throw (New-IisFtpsException -Code $code -Message ([string](Get-IisFtpsProperty $e 'message')))
            }
        }
    }
    try {
        return (ConvertFrom-IisFtpsJson -Json $out)
    } catch {
        throw (New-IisFtpsException -Code BACKEND_FAILED -Message ('The iis-ftps CLI exited with {0} and no JSON answer: {1}' -f $exit, ($err.Trim(), $out.Trim() -join ' ').Trim()))
    }
}

function Get-IisFtpsCliTargetArgument {
    <# The CLI's target option for a target (as one argument, so a name starting with '-' stays a name). #>
    param([Parameter(Mandatory)] $Target)
    if ($Target.level -eq 'siteDefaults') { return '--site-defaults' }
    return ('--site=' + $Target.name)
}

function Get-IisFtpsCliSettings {
    <# @{ target; settings } through 'iis-ftps get' (and 'doctor' for the site's stored name and id). #>
    param([Parameter(Mandatory)] $Target, [Parameter(Mandatory)] [string] $ConfigPath)
    $t = Get-IisFtpsCliTargetArgument $Target
    $identity = [pscustomobject][ordered]@{ level = 'siteDefaults'; name = $null; id = $null; protocols = @() }
    if ($Target.level -eq 'site') {
        $doctor = Invoke-IisFtpsCli -Arguments @('doctor', "--config=$ConfigPath", $t, '--json')
        $identity = @($doctor.results)[0].target
    }
    $settings = Invoke-IisFtpsCli -Arguments @('get', "--config=$ConfigPath", $t, '--json')
    return @{ target = $identity; settings = $settings }
}

function ConvertTo-IisFtpsDesiredState {
    <# The desired-state JSON of 'iis-ftps apply' for requests (only the levels in -Keys when given). #>
    param([Parameter(Mandatory)] [AllowEmptyCollection()] [object[]] $Requests, [string[]] $Keys)
    $desired = [ordered]@{}
    $sites = [ordered]@{}
    foreach ($req in $Requests) {
        if ($PSBoundParameters.ContainsKey('Keys') -and $Keys -notcontains $req.key) { continue }
        if ($req.level -eq 'siteDefaults') { $desired.siteDefaults = $req.values } else { $sites[$req.name] = $req.values }
    }
    if ($sites.Count -gt 0) { $desired.sites = $sites }
    return (ConvertTo-IisFtpsJson $desired)
}

function Get-IisFtpsCliPlan {
    <# Plans requests with 'iis-ftps apply --what-if': @{ changes; requests }. #>
    param([Parameter(Mandatory)] [AllowEmptyCollection()] [object[]] $Requests, [Parameter(Mandatory)] [string] $ConfigPath)
    $report = Invoke-IisFtpsCli -Arguments @('apply', "--config=$ConfigPath", '--desired=-', '--what-if', '--json') -InputText (ConvertTo-IisFtpsDesiredState -Requests $Requests)
    return @{ changes = @($report.changes); requests = $Requests }
}

function Invoke-IisFtpsCliCommit {
    <# Applies the approved levels of a plan with 'iis-ftps apply' (one atomic write). Returns whether the file was written. #>
    param([Parameter(Mandatory)] $Plan, [Parameter(Mandatory)] [AllowEmptyCollection()] [string[]] $Keys, [Parameter(Mandatory)] [string] $ConfigPath)
    if ($Keys.Count -eq 0) { return $false }
    $report = Invoke-IisFtpsCli -Arguments @('apply', "--config=$ConfigPath", '--desired=-', '--json') -InputText (ConvertTo-IisFtpsDesiredState -Requests $Plan.requests -Keys $Keys)
    return [bool]$report.written
}

function Get-IisFtpsCliDoctor {
    <# Doctor results @{ target; findings } through 'iis-ftps doctor'. #>
    param([string[]] $SiteName = @(), [switch] $SiteDefaults, [Parameter(Mandatory)] [string] $ConfigPath)
    $calls = @()
    if ($SiteDefaults) { $calls += , @('--site-defaults') }
    foreach ($n in $SiteName) { $calls += , @("--site=$n") }
    if ($calls.Count -eq 0) { $calls += , @() }
    foreach ($target in $calls) {
        $report = Invoke-IisFtpsCli -Arguments (@('doctor', "--config=$ConfigPath") + $target + @('--json'))
        foreach ($r in @($report.results)) { @{ target = $r.target; findings = @($r.findings) } }
    }
}

function Get-IisFtpsCliRotationArgument {
    <# The arguments of 'iis-ftps rotate-cert' for a renewal (each one argument: a name starting with '-' stays a name). #>
    param([string] $From, [Parameter(Mandatory)] [string] $To, [string] $ToFile, [string] $StoreName, [string[]] $AlsoSite = @(), [switch] $Force, [Parameter(Mandatory)] [string] $ConfigPath)
    $a = @('rotate-cert', "--config=$ConfigPath", "--to=$To", '--json')
    if ($ToFile) { $a += "--to-file=$ToFile" }
    if ($From) { $a += "--from=$From" }
    if ($StoreName) { $a += "--store-name=$StoreName" }
    foreach ($s in $AlsoSite) { $a += "--also-site=$s" }
    if ($Force) { $a += '--force' }
    return , $a
}

function Get-IisFtpsCliRotation {
    <# Plans a certificate renewal with 'iis-ftps rotate-cert --what-if': @{ report; arguments } (the report as its --json prints it). #>
    param([string] $From, [Parameter(Mandatory)] [string] $To, [string] $ToFile, [string] $StoreName, [string[]] $AlsoSite = @(), [switch] $Force, [Parameter(Mandatory)] [string] $ConfigPath)
    $arguments = Get-IisFtpsCliRotationArgument -From $From -To $To -ToFile $ToFile -StoreName $StoreName -AlsoSite $AlsoSite -Force:$Force -ConfigPath $ConfigPath
    $report = Invoke-IisFtpsCli -Arguments ($arguments + @('--what-if'))
    return @{ report = $report; arguments = $arguments }
}

function Invoke-IisFtpsCliRotation {
    <# Commits a planned renewal with 'iis-ftps rotate-cert' (one atomic write). Returns whether the file was written. #>
    param([Parameter(Mandatory)] $Plan)
    $report = Invoke-IisFtpsCli -Arguments $Plan.arguments
    return [bool]$report.written
}
