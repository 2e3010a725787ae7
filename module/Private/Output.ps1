# The objects the cmdlets emit.

function Get-IisFtpsTargetLabel {
    <# How a target reads in messages: site "NAME" (id N), or siteDefaults. #>
    param([Parameter(Mandatory)] $Target)
    if ((Get-IisFtpsProperty $Target 'level') -eq 'siteDefaults') { return 'siteDefaults' }
    $id = Get-IisFtpsProperty $Target 'id'
    if ($null -eq $id) { return ('site "{0}"' -f (Get-IisFtpsProperty $Target 'name')) }
    return ('site "{0}" (id {1})' -f (Get-IisFtpsProperty $Target 'name'), $id)
}

function Format-IisFtpsShownValue {
    <# A canonical value as people read it: (none) for nothing, flags joined by ", ". #>
    param([AllowNull()] $Value)
    if ($null -eq $Value) { return '(none)' }
    if ($Value -is [bool]) { if ($Value) { return 'true' } else { return 'false' } }
    if ($Value -is [System.Array]) { if ($Value.Count -eq 0) { return '(none)' } else { return ($Value -join ', ') } }
    return [string]$Value
}

function New-IisFtpsTargetProperty {
    <# The first properties of every object about a target: PSTypeName, SiteName, SiteId, Level (add the rest, then cast to [pscustomobject]). #>
    param([Parameter(Mandatory)] [string] $TypeName, [Parameter(Mandatory)] $Target)
    return [ordered]@{
        PSTypeName = $TypeName
        SiteName   = Get-IisFtpsProperty $Target 'name'
        SiteId     = Get-IisFtpsProperty $Target 'id'
        Level      = [string](Get-IisFtpsProperty $Target 'level')
    }
}

function New-IisFtpsSettingObject {
    <#
    An IisFtps.Setting: the target (SiteName, SiteId, Level), a property per setting with its
    effective value, and Source (setting -> site | siteDefaults | default) and Problem (setting ->
    why a stored value cannot be read) beside them.
    -Settings is element -> attribute -> { value, source, problem? } (as the settings of 'iis-ftps get --json', which also carries the target).
    #>
    param([Parameter(Mandatory)] $Target, [Parameter(Mandatory)] $Settings, [string] $ConfigPath)
    $props = New-IisFtpsTargetProperty -TypeName 'IisFtps.Setting' -Target $Target
    $sources = [ordered]@{}
    $problems = [ordered]@{}
    foreach ($def in Get-IisFtpsSettingDef) {
        $entry = Get-IisFtpsProperty (Get-IisFtpsProperty $Settings $def.element) $def.attribute
        $value = Get-IisFtpsProperty $entry 'value'
        if ($def.format -eq 'flags' -and $null -ne $value) { $value = [string[]]@($value) }
        $props[$def.parameter] = $value
        $sources[$def.name] = [string](Get-IisFtpsProperty $entry 'source')
        $problem = Get-IisFtpsProperty $entry 'problem'
        if ($null -ne $problem) { $problems[$def.name] = [string]$problem }
    }
    $props['Source'] = [pscustomobject]$sources
    $props['Problem'] = [pscustomobject]$problems
    $props['ConfigPath'] = $(if ($ConfigPath) { $ConfigPath } else { $null })
    return [pscustomobject]$props
}

function New-IisFtpsFindingObject {
    <# An IisFtps.Finding: one broken doctor rule at one target. #>
    param([Parameter(Mandatory)] $Target, [Parameter(Mandatory)] $Finding)
    $props = New-IisFtpsTargetProperty -TypeName 'IisFtps.Finding' -Target $Target
    $props.Severity = [string](Get-IisFtpsProperty $Finding 'severity')
    $props.Rule = [string](Get-IisFtpsProperty $Finding 'rule')
    $props.Message = [string](Get-IisFtpsProperty $Finding 'message')
    return [pscustomobject]$props
}

function New-IisFtpsDriftObject {
    <# An IisFtps.Drift: one setting of one level that is not as desired (a difference of Get-IisFtpsDrift). #>
    param([Parameter(Mandatory)] $Target, [Parameter(Mandatory)] $Difference)
    $props = New-IisFtpsTargetProperty -TypeName 'IisFtps.Drift' -Target $Target
    $props.Setting = [string]$Difference.setting
    $props.Actual = $Difference.actual
    $props.Desired = $Difference.desired
    $props.Problem = $Difference.problem
    return [pscustomobject]$props
}
