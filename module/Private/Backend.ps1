# Which path a call takes, and the operations the cmdlets use, the same on either path.
#
# The rule: without -ConfigPath, live IIS through ServerManager. With -ConfigPath, on Windows
# (or anywhere IIS_FTPS_MWA_PATH names a Microsoft.Web.Administration.dll) through
# ServerManager(path); elsewhere through the Node CLI.

function Get-IisFtpsBackendKind {
    <# 'ServerManager' or 'NodeCli' for a call with or without -ConfigPath. #>
    param([string] $ConfigPath)
    if (-not $ConfigPath) { return 'ServerManager' }
    if ([System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT -or $env:IIS_FTPS_MWA_PATH) { return 'ServerManager' }
    return 'NodeCli'
}

function New-IisFtpsTarget {
    <# A target as the operations take it: @{ key; level; name }. #>
    param([string] $SiteName, [switch] $SiteDefaults)
    if ($SiteDefaults) { return @{ key = 'siteDefaults'; level = 'siteDefaults'; name = $null } }
    if ([string]::IsNullOrEmpty($SiteName)) { throw (New-IisFtpsException -Code USAGE -Message 'A site name is empty; pass a site name or -SiteDefaults.') }
    return @{ key = 'site:' + $SiteName.ToUpperInvariant(); level = 'site'; name = $SiteName }
}

function Get-IisFtpsTargetKey {
    <# The key of a target as the CLI or ServerManager reports it ({ level, name }). #>
    param([Parameter(Mandatory)] $Target)
    if ((Get-IisFtpsProperty $Target 'level') -eq 'siteDefaults') { return 'siteDefaults' }
    return 'site:' + ([string](Get-IisFtpsProperty $Target 'name')).ToUpperInvariant()
}

function Get-IisFtpsTargetSettings {
    <# @{ target (identity); settings (element -> attribute -> { value, source, problem? }) } of one target. #>
    param([Parameter(Mandatory)] $Target, [string] $ConfigPath)
    if ((Get-IisFtpsBackendKind -ConfigPath $ConfigPath) -eq 'NodeCli') { return (Get-IisFtpsCliSettings -Target $Target -ConfigPath $ConfigPath) }
    if ($Target.level -eq 'siteDefaults') {
        $snapshot = Read-IisFtpsSmSnapshot -ConfigPath $ConfigPath
        $level = Get-IisFtpsSmLevel -Snapshot $snapshot
    } else {
        $snapshot = Read-IisFtpsSmSnapshot -SiteName @($Target.name) -ConfigPath $ConfigPath
        $level = Get-IisFtpsSmLevel -Snapshot $snapshot -SiteName $Target.name
    }
    return @{ target = $level.identity; settings = (Get-IisFtpsSmSettings -Level $level -Defaults (Get-IisFtpsSmLevel -Snapshot $snapshot)) }
}

function Get-IisFtpsPlan {
    <# Plans requests (targets with values) against what is stored now: @{ kind; changes; ... }. #>
    param([Parameter(Mandatory)] [AllowEmptyCollection()] [object[]] $Requests, [string] $ConfigPath)
    $kind = Get-IisFtpsBackendKind -ConfigPath $ConfigPath
    if ($kind -eq 'NodeCli') { $plan = Get-IisFtpsCliPlan -Requests $Requests -ConfigPath $ConfigPath }
    else { $plan = Get-IisFtpsSmPlan -Requests $Requests -ConfigPath $ConfigPath }
    $plan.kind = $kind
    return $plan
}

function Invoke-IisFtpsCommit {
    <# Commits the changes a plan holds for the levels in -Keys, in one write. Returns whether the file was written. #>
    param([Parameter(Mandatory)] $Plan, [Parameter(Mandatory)] [AllowEmptyCollection()] [string[]] $Keys, [string] $ConfigPath)
    if ($Plan.kind -eq 'NodeCli') { return (Invoke-IisFtpsCliCommit -Plan $Plan -Keys $Keys -ConfigPath $ConfigPath) }
    return (Invoke-IisFtpsSmCommit -Plan $Plan -Keys $Keys -ConfigPath $ConfigPath)
}

function Get-IisFtpsDoctorResult {
    <# Doctor results @{ target; findings } for sites, siteDefaults, or siteDefaults and every FTP site. #>
    param([string[]] $SiteName = @(), [switch] $SiteDefaults, [string] $ConfigPath)
    if ((Get-IisFtpsBackendKind -ConfigPath $ConfigPath) -eq 'NodeCli') { return (Get-IisFtpsCliDoctor -SiteName $SiteName -SiteDefaults:$SiteDefaults -ConfigPath $ConfigPath) }
    return (Get-IisFtpsSmDoctor -SiteName $SiteName -SiteDefaults:$SiteDefaults -ConfigPath $ConfigPath)
}

function Resolve-IisFtpsConfigPath {
    <# -ConfigPath as a full file-system path, relative to PowerShell's current location (not the process's). #>
    param([Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet, [string] $ConfigPath)
    if (-not $ConfigPath) { return '' }
    return $Cmdlet.GetUnresolvedProviderPathFromPSPath($ConfigPath)
}

function Write-IisFtpsChangePlan {
    <#
    The shared end block of Set- and Reset-: plans the staged requests, asks ShouldProcess per
    target (showing old -> new), commits every approved target in one write, and with -PassThru
    emits the settings after. Throws on any error; then nothing is written.
    #>
    param(
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)] [AllowEmptyCollection()] [object[]] $Requests,
        [Parameter(Mandatory)] [string] $Verb,
        [string] $ConfigPath,
        [switch] $PassThru
    )
    if ($Requests.Count -eq 0) { return }
    $plan = Get-IisFtpsPlan -Requests $Requests -ConfigPath $ConfigPath
    $byKey = [ordered]@{}
    foreach ($c in $plan.changes) {
        $key = Get-IisFtpsTargetKey $c.target
        if (-not $byKey.Contains($key)) { $byKey[$key] = New-Object System.Collections.ArrayList }
        [void]$byKey[$key].Add($c)
    }
    $approved = New-Object System.Collections.Generic.List[string]
    foreach ($req in $Requests) {
        $label = Get-IisFtpsTargetLabel @{ level = $req.level; name = $req.name }
        if (-not $byKey.Contains($req.key)) {
            Write-Verbose ('{0}: every value is already so; nothing to change.' -f $label)
            continue
        }
        $changes = $byKey[$req.key]
        $label = Get-IisFtpsTargetLabel $changes[0].target
        $lines = @()
        foreach ($c in $changes) {
            $before = $(if ($null -eq $c.old) { '(not set)' } else { Format-IisFtpsShownValue $c.old })
            $after = $(if ($null -eq $c.new) { '(inherits {0} from {1})' -f (Format-IisFtpsShownValue $c.effective.value), $c.effective.source } else { Format-IisFtpsShownValue $c.new })
            $lines += ('{0}: {1} -> {2}' -f $c.setting, $before, $after)
        }
        foreach ($l in $lines) { Write-Verbose ('{0}: {1}' -f $label, $l) }
        if ($Cmdlet.ShouldProcess($label, ('{0} {1}' -f $Verb, ($lines -join '; ')))) { $approved.Add($req.key) }
    }
    if ($approved.Count -gt 0) {
        $written = Invoke-IisFtpsCommit -Plan $plan -Keys $approved.ToArray() -ConfigPath $ConfigPath
        Write-Verbose ('Committed {0} change(s) for {1} target(s) in one write (written: {2}).' -f @($plan.changes | Where-Object { $approved -contains (Get-IisFtpsTargetKey $_.target) }).Count, $approved.Count, $written)
    }
    if ($PassThru -and -not $WhatIfPreference) {
        foreach ($req in $Requests) {
            $r = Get-IisFtpsTargetSettings -Target $req -ConfigPath $ConfigPath
            New-IisFtpsSettingObject -Target $r.target -Settings $r.settings -ConfigPath $ConfigPath
        }
    }
}
