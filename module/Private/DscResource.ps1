# The class-based DSC resource IisFtpsSetting (defined in IisFtps.psm1): Get(), Test() and Set()
# come here and go through the same operations as the cmdlets (Get-IisFtpsTargetSettings,
# Get-IisFtpsPlan, Invoke-IisFtpsCommit), on the live IIS or on -ConfigPath's file.
#
# A setting property describes what is set at the target's own level: a value is set there, a
# setting named in Inherit is not set there (it inherits), and a setting left $null (or '') is not
# managed.

function Get-IisFtpsDscTarget {
    <# The target of a resource instance (New-IisFtpsTarget's shape), after checking its keys. #>
    param([Parameter(Mandatory)] $Resource)
    if ($Resource.Level -eq 'SiteDefaults') {
        if (-not [string]::Equals([string]$Resource.SiteName, 'siteDefaults', [System.StringComparison]::OrdinalIgnoreCase)) {
            throw (New-IisFtpsException -Code USAGE -Message ('With Level = ''SiteDefaults'', SiteName must be ''siteDefaults''; got ''{0}''. To change a site, use Level = ''Site''.' -f $Resource.SiteName))
        }
        return (New-IisFtpsTarget -SiteDefaults)
    }
    if ($Resource.Level -ne 'Site') { throw (New-IisFtpsException -Code USAGE -Message ('Level must be ''Site'' or ''SiteDefaults''; got ''{0}''.' -f $Resource.Level)) }
    if ([string]::IsNullOrEmpty($Resource.SiteName)) { throw (New-IisFtpsException -Code USAGE -Message 'With Level = ''Site'', SiteName names the FTP site; it is empty.') }
    return (New-IisFtpsTarget -SiteName $Resource.SiteName)
}

function Get-IisFtpsDscConfigPath {
    <# ConfigPath as a full path ('' for the live IIS). #>
    param([Parameter(Mandatory)] $Resource)
    if ([string]::IsNullOrEmpty($Resource.ConfigPath)) { return '' }
    return [System.IO.Path]::GetFullPath([string]$Resource.ConfigPath)
}

function Get-IisFtpsDscDesired {
    <# The managed settings of an instance: ordered setting name -> canonical value, or $null to inherit. Checks every value first. #>
    param([Parameter(Mandatory)] $Resource)
    $inherit = @{}
    foreach ($n in @($Resource.Inherit | Where-Object { $null -ne $_ })) { $inherit[(Get-IisFtpsSettingDef -Name $n).name] = $true }
    $desired = [ordered]@{}
    foreach ($def in Get-IisFtpsSettingDef) {
        $v = $Resource.($def.parameter)
        if ($v -is [string] -and $v -eq '') { $v = $null }
        if ($null -ne $v) {
            if ($inherit.ContainsKey($def.name)) {
                throw (New-IisFtpsException -Code USAGE -Message ('{0} has a value and is named in Inherit; give one or the other.' -f $def.parameter))
            }
            $desired[$def.name] = ConvertTo-IisFtpsCanonicalValue -Def $def -InputObject $v
        } elseif ($inherit.ContainsKey($def.name)) {
            $desired[$def.name] = $null
        }
    }
    return $desired
}

function Get-IisFtpsDscActual {
    <#
    What the target's level sets itself: @{ target (identity); values = setting name -> value or
    $null (inherits); problems = setting name -> why a stored value cannot be read }.
    #>
    param([Parameter(Mandatory)] $Target, [string] $ConfigPath)
    $r = Get-IisFtpsTargetSettings -Target $Target -ConfigPath $ConfigPath
    $own = $(if ($Target.level -eq 'siteDefaults') { 'siteDefaults' } else { 'site' })
    $values = [ordered]@{}
    $problems = [ordered]@{}
    foreach ($def in Get-IisFtpsSettingDef) {
        $entry = Get-IisFtpsProperty (Get-IisFtpsProperty $r.settings $def.element) $def.attribute
        $source = [string](Get-IisFtpsProperty $entry 'source')
        $problem = Get-IisFtpsProperty $entry 'problem'
        $value = $null
        if ($source -eq $own) {
            if ($null -ne $problem) { $problems[$def.name] = [string]$problem }
            else {
                $value = Get-IisFtpsProperty $entry 'value'
                # Flags set to none read back as an empty list, which PowerShell may hand on as $null.
                if ($def.format -eq 'flags') { if ($null -eq $value) { $value = [string[]]@() } else { $value = [string[]]@($value) } }
            }
        }
        $values[$def.name] = $value
    }
    return @{ target = $r.target; values = $values; problems = $problems }
}

function Get-IisFtpsDscState {
    <# Get(): the instance's keys and ConfigPath, each setting's own value at the level ($null where it inherits), and Inherit listing those. #>
    param([Parameter(Mandatory)] $Resource)
    $target = Get-IisFtpsDscTarget -Resource $Resource
    $config = Get-IisFtpsDscConfigPath -Resource $Resource
    $actual = Get-IisFtpsDscActual -Target $target -ConfigPath $config
    $state = [ordered]@{ Level = $Resource.Level; SiteName = $Resource.SiteName; ConfigPath = $Resource.ConfigPath }
    $inherit = New-Object System.Collections.Generic.List[string]
    foreach ($def in Get-IisFtpsSettingDef) {
        $state[$def.parameter] = $actual.values[$def.name]
        if ($null -eq $actual.values[$def.name] -and -not $actual.problems.Contains($def.name)) { $inherit.Add($def.parameter) }
    }
    foreach ($name in $actual.problems.Keys) { Write-Warning ('{0}: {1}: {2}' -f (Get-IisFtpsTargetLabel $actual.target), $name, $actual.problems[$name]) }
    $state['Inherit'] = [string[]]$inherit.ToArray()
    return $state
}

function Test-IisFtpsDscState {
    <# Test(): whether every managed setting is as desired (Get-IisFtpsDrift, as Test-IisFtpsSetting -DesiredState); each difference as verbose "is -> should be". #>
    param([Parameter(Mandatory)] $Resource)
    $target = Get-IisFtpsDscTarget -Resource $Resource
    $desired = Get-IisFtpsDscDesired -Resource $Resource
    $drift = Get-IisFtpsDrift -Request ($target + @{ values = $desired }) -ConfigPath (Get-IisFtpsDscConfigPath -Resource $Resource)
    $label = Get-IisFtpsTargetLabel $drift.target
    foreach ($d in $drift.differences) { Write-Verbose (Format-IisFtpsDriftLine -Label $label -Difference $d) }
    if ($drift.differences.Count -eq 0) { Write-Verbose ('{0}: every managed setting is as desired ({1} managed).' -f $label, $desired.Count); return $true }
    return $false
}

function Set-IisFtpsDscState {
    <# Set(): nothing when Test() holds; else every managed setting that differs, in one commit. #>
    param([Parameter(Mandatory)] $Resource)
    if (Test-IisFtpsDscState -Resource $Resource) { return }
    $target = Get-IisFtpsDscTarget -Resource $Resource
    $config = Get-IisFtpsDscConfigPath -Resource $Resource
    $request = $target + @{ values = (Get-IisFtpsDscDesired -Resource $Resource) }
    $plan = Get-IisFtpsPlan -Requests @($request) -ConfigPath $config
    foreach ($c in $plan.changes) {
        $before = $(if ($null -eq $c.old) { '(not set)' } else { Format-IisFtpsShownValue $c.old })
        $after = $(if ($null -eq $c.new) { '(inherits {0} from {1})' -f (Format-IisFtpsShownValue $c.effective.value), $c.effective.source } else { Format-IisFtpsShownValue $c.new })
        Write-Verbose ('{0}: {1}: {2} -> {3}' -f (Get-IisFtpsTargetLabel $c.target), $c.setting, $before, $after)
    }
    $written = Invoke-IisFtpsCommit -Plan $plan -Keys @($request.key) -ConfigPath $config
    Write-Verbose ('Committed {0} change(s) in one write (written: {1}).' -f @($plan.changes).Count, $written)
}
