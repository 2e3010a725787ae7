# The ServerManager path: live IIS, or -ConfigPath through ServerManager(path). Reads and commits
# through the C# engine (src/engine/, the one implementation that talks to ServerManager, loaded by
# ps/IisFtps.Core.ps1: Read-IisFtpsSnapshot, Invoke-IisFtpsChangeSet), so values and their sources
# (site, siteDefaults, default) are what every other live path reads; computes effective values,
# planned changes and doctor findings by the same rules as src/session and src/doctor.

function Get-IisFtpsElementQuery {
    <# The elements a read asks for, from the schema. #>
    return , @((Get-IisFtpsSchema).elements | ForEach-Object { [ordered]@{ element = $_.name; path = @($_.path) } })
}

function Read-IisFtpsSmSnapshot {
    <# Reads siteDefaults and the named sites (or every site with -AllSites) through ServerManager. #>
    param([string[]] $SiteName = @(), [switch] $AllSites, [string] $ConfigPath)
    $query = [ordered]@{
        elements = Get-IisFtpsElementQuery
        sites    = @($SiteName | ForEach-Object { [ordered]@{ name = $_ } })
        allSites = [bool]$AllSites
    }
    return (Read-IisFtpsSnapshot -Query $query -ConfigPath $ConfigPath)
}

function Get-IisFtpsSmLevel {
    <# One level of a snapshot: @{ key; identity; raw }. -SiteName finds a site read (case-insensitive). #>
    param([Parameter(Mandatory)] $Snapshot, [string] $SiteName)
    if (-not $PSBoundParameters.ContainsKey('SiteName')) {
        return @{ key = 'siteDefaults'; identity = [pscustomobject][ordered]@{ level = 'siteDefaults'; name = $null; id = $null; protocols = @() }; raw = $Snapshot.siteDefaults }
    }
    foreach ($s in $Snapshot.sites) {
        if ([string]::Equals([string]$s.name, $SiteName, [System.StringComparison]::OrdinalIgnoreCase)) {
            return @{ key = 'site:' + ([string]$s.name).ToUpperInvariant(); identity = [pscustomobject][ordered]@{ level = 'site'; name = [string]$s.name; id = $s.id; protocols = @($s.protocols) }; raw = $s.elements }
        }
    }
    throw (New-IisFtpsException -Code SITE_NOT_FOUND -Message ('No site named "{0}".' -f $SiteName) -Site $SiteName)
}

function Get-IisFtpsStoredValue {
    <# What a level stores for a setting: $null when not set there, else @{ value } or @{ problem }. #>
    param([Parameter(Mandatory)] $Raw, [Parameter(Mandatory)] $Def)
    $element = Get-IisFtpsProperty $Raw $Def.element
    if ($null -eq $element) { return $null }
    $has = $false
    if ($element -is [System.Collections.IDictionary]) { $has = $element.Contains($Def.attribute) } else { $has = $null -ne $element.PSObject.Properties[$Def.attribute] }
    if (-not $has) { return $null }
    $raw = Get-IisFtpsProperty $element $Def.attribute
    $r = ConvertFrom-IisFtpsValue -Def $Def -InputObject $raw
    if ($r.ok) { return @{ value = $r.value; raw = $raw } }
    return @{ problem = ('stored value is invalid: {0}' -f $r.reason); raw = $raw }
}

function Get-IisFtpsSmEffective {
    <#
    The effective value of a setting at a level: the site's own, else siteDefaults', else the
    schema default, with its source. -Staged: level key -> @{ setting -> value or $null } overlays.
    #>
    param([Parameter(Mandatory)] $Level, [Parameter(Mandatory)] $Defaults, [Parameter(Mandatory)] $Def, [hashtable] $Staged = @{})
    $chain = @()
    if ($Level.identity.level -eq 'site') { $chain += , @($Level, 'site') }
    $chain += , @($Defaults, 'siteDefaults')
    foreach ($link in $chain) {
        $l = $link[0]
        $stage = $Staged[$l.key]
        if ($null -ne $stage -and $stage.Contains($Def.name)) {
            $v = $stage[$Def.name]
            if ($null -eq $v) { continue }
            return [pscustomobject][ordered]@{ value = $v; source = $link[1] }
        }
        $stored = Get-IisFtpsStoredValue -Raw $l.raw -Def $Def
        if ($null -eq $stored) { continue }
        if ($stored.Contains('value')) { return [pscustomobject][ordered]@{ value = $stored.value; source = $link[1] } }
        return [pscustomobject][ordered]@{ value = $null; source = $link[1]; problem = $stored.problem }
    }
    $default = $Def.default
    if ($Def.format -eq 'flags' -and $null -ne $default) { $default = [string[]]@($default) }
    return [pscustomobject][ordered]@{ value = $default; source = 'default' }
}

function Get-IisFtpsSmSettings {
    <# Every setting of a level as element -> attribute -> { value, source, problem? }. #>
    param([Parameter(Mandatory)] $Level, [Parameter(Mandatory)] $Defaults, [hashtable] $Staged = @{})
    $out = [ordered]@{}
    foreach ($def in Get-IisFtpsSettingDef) {
        if (-not $out.Contains($def.element)) { $out[$def.element] = [ordered]@{} }
        $out[$def.element][$def.attribute] = Get-IisFtpsSmEffective -Level $Level -Defaults $Defaults -Def $def -Staged $Staged
    }
    return $out
}

function Test-IisFtpsSameValue {
    <# Whether two canonical values are equal (flags compared as lists). #>
    param($A, $B)
    return ((ConvertTo-IisFtpsJson $A) -ceq (ConvertTo-IisFtpsJson $B))
}

function Get-IisFtpsSmPlan {
    <#
    Plans requests (@{ key; level; name; values = ordered setting -> canonical value or $null })
    against one snapshot: a value already set so at that level, or a reset of a setting not set
    there, plans nothing. Returns @{ changes; snapshot; staged; levels }.
    #>
    param([Parameter(Mandatory)] [AllowEmptyCollection()] [object[]] $Requests, [string] $ConfigPath)
    $names = @($Requests | Where-Object { $_.level -eq 'site' } | ForEach-Object { $_.name })
    $snapshot = Read-IisFtpsSmSnapshot -SiteName $names -ConfigPath $ConfigPath
    $defaults = Get-IisFtpsSmLevel -Snapshot $snapshot
    $levels = [ordered]@{}
    $staged = @{}
    foreach ($req in $Requests) {
        if ($req.level -eq 'siteDefaults') { $level = $defaults } else { $level = Get-IisFtpsSmLevel -Snapshot $snapshot -SiteName $req.name }
        $levels[$level.key] = $level
        if (-not $staged.ContainsKey($level.key)) { $staged[$level.key] = [ordered]@{} }
        foreach ($name in $req.values.Keys) {
            $def = Get-IisFtpsSettingDef -Name $name
            $value = $req.values[$name]
            $stored = Get-IisFtpsStoredValue -Raw $level.raw -Def $def
            if ($null -eq $value) { $unchanged = $null -eq $stored }
            else { $unchanged = $null -ne $stored -and $stored.Contains('value') -and (Test-IisFtpsSameValue $stored.value $value) }
            if ($unchanged) { $staged[$level.key].Remove($def.name) } else { $staged[$level.key][$def.name] = $value }
        }
    }
    $changes = New-Object System.Collections.ArrayList
    foreach ($key in $levels.Keys) {
        $level = $levels[$key]
        foreach ($name in $staged[$key].Keys) {
            $def = Get-IisFtpsSettingDef -Name $name
            $stored = Get-IisFtpsStoredValue -Raw $level.raw -Def $def
            $old = $null
            if ($null -ne $stored) { if ($stored.Contains('value')) { $old = $stored.value } else { $old = $stored.raw } }
            [void]$changes.Add([pscustomobject][ordered]@{
                    target    = $level.identity
                    setting   = $def.name
                    element   = $def.element
                    attribute = $def.attribute
                    old       = $old
                    new       = $staged[$key][$name]
                    effective = Get-IisFtpsSmEffective -Level $level -Defaults $defaults -Def $def -Staged $staged
                })
        }
    }
    return @{ changes = $changes.ToArray(); snapshot = $snapshot; staged = $staged; levels = $levels }
}

function Invoke-IisFtpsSmCommit {
    <# Commits the planned changes of the approved levels in one ServerManager.CommitChanges(). Returns whether the file was written. #>
    param([Parameter(Mandatory)] $Plan, [Parameter(Mandatory)] [AllowEmptyCollection()] [string[]] $Keys, [string] $ConfigPath)
    $changes = New-Object System.Collections.ArrayList
    foreach ($key in $Keys) {
        $level = $Plan.levels[$key]
        foreach ($name in $Plan.staged[$key].Keys) {
            $def = Get-IisFtpsSettingDef -Name $name
            $value = $Plan.staged[$key][$name]
            $change = [ordered]@{
                level     = $level.identity.level
                site      = $null
                element   = $def.element
                path      = @($def.path)
                attribute = $def.attribute
                type      = $def.type
                value     = $null
            }
            if ($level.identity.level -eq 'site') { $change.site = [ordered]@{ name = $level.identity.name; id = $level.identity.id } }
            if ($null -ne $value) {
                $change.value = ConvertTo-IisFtpsText -Def $def -Value $value
                $number = Get-IisFtpsValueNumber -Def $def -Value $value
                if ($null -ne $number) { $change.number = $number }
            }
            [void]$changes.Add($change)
        }
    }
    if ($changes.Count -eq 0) { return $false }
    $result = Invoke-IisFtpsChangeSet -ChangeSet ([ordered]@{ version = $Plan.snapshot.version; changes = $changes.ToArray() }) -ConfigPath $ConfigPath
    return [bool]$result.written
}

function Get-IisFtpsSmDoctor {
    <# Doctor results @{ target; findings } for the named sites, siteDefaults, or (neither) siteDefaults and every FTP site. #>
    param([string[]] $SiteName = @(), [switch] $SiteDefaults, [string] $ConfigPath)
    $all = -not $SiteDefaults -and $SiteName.Count -eq 0
    $snapshot = Read-IisFtpsSmSnapshot -SiteName $SiteName -AllSites:$all -ConfigPath $ConfigPath
    $defaults = Get-IisFtpsSmLevel -Snapshot $snapshot
    $levels = @()
    if ($SiteDefaults -or $all) { $levels += , $defaults }
    if ($all) {
        foreach ($s in $snapshot.sites) { if (@($s.protocols) -contains 'ftp') { $levels += , (Get-IisFtpsSmLevel -Snapshot $snapshot -SiteName $s.name) } }
    } else {
        foreach ($n in $SiteName) { $levels += , (Get-IisFtpsSmLevel -Snapshot $snapshot -SiteName $n) }
    }
    foreach ($level in $levels) {
        $settings = Get-IisFtpsSmSettings -Level $level -Defaults $defaults
        @{ target = $level.identity; findings = @(Get-IisFtpsDoctorFinding -Settings $settings -Target $level.identity -ConfigPath $ConfigPath) }
    }
}
