# Value codecs, the same rules as src/codecs: lenient on the way in (what a user types and what
# ServerManager returns), canonical on the way out.

function Format-IisFtpsInput {
    <# An input as the TypeScript codecs quote it in messages: JSON for text, numbers and lists. #>
    param($InputObject)
    if ($null -eq $InputObject) { return 'nothing' }
    return (ConvertTo-IisFtpsJson $InputObject)
}

function Test-IisFtpsWholeNumber {
    <# Whether a value is a .NET integer, or text of digits only. #>
    param($Value)
    if ($Value -is [int] -or $Value -is [long] -or $Value -is [uint32] -or $Value -is [uint64] -or $Value -is [int16] -or $Value -is [uint16] -or $Value -is [byte]) { return $true }
    return ($Value -is [string] -and $Value -match '^\s*\d+\s*$')
}

function Format-IisFtpsTimeSpan {
    <# .NET's constant ("c") format of ticks: hh:mm:ss below a day, d.hh:mm:ss from a day on, .fffffff when not whole seconds. #>
    param([Parameter(Mandatory)] [long] $Ticks)
    $span = New-Object System.TimeSpan -ArgumentList $Ticks
    return $span.ToString('c', [System.Globalization.CultureInfo]::InvariantCulture)
}

function ConvertFrom-IisFtpsValue {
    <#
    Decodes a value for a setting into its canonical value: enum name, flag names (an array in
    ascending bit order), time span text, boolean, or text. Returns @{ ok; value } or
    @{ ok = $false; reason; allowed }.
    #>
    param([Parameter(Mandatory)] $Def, [AllowNull()] $InputObject)
    $allowed = Get-IisFtpsAllowedValues -Def $Def
    $refuse = { param([string] $Reason) return @{ ok = $false; reason = $Reason; allowed = $allowed } }
    $v = $InputObject
    switch ($Def.format) {
        'enum' {
            $props = @($Def.values.PSObject.Properties)
            if (Test-IisFtpsWholeNumber $v) {
                foreach ($p in $props) { if ([long]$p.Value -eq [decimal]([string]$v).Trim()) { return @{ ok = $true; value = $p.Name } } }
                return (& $refuse ('{0} is not one of the numbers of this enum' -f (Format-IisFtpsInput $v)))
            }
            if ($v -is [string]) {
                foreach ($p in $props) { if ([string]::Equals($p.Name, $v.Trim(), [System.StringComparison]::OrdinalIgnoreCase)) { return @{ ok = $true; value = $p.Name } } }
                return (& $refuse ('{0} is not a value of this enum' -f (Format-IisFtpsInput $v)))
            }
            return (& $refuse ('{0} is not an enum name or number' -f (Format-IisFtpsInput $v)))
        }
        'flags' {
            $bits = @($Def.bits.PSObject.Properties | Sort-Object { [long]$_.Value })
            $all = 0L
            foreach ($b in $bits) { $all = $all -bor [long]$b.Value }
            if ($v -is [string]) { $parts = @($v.Split(',')) }
            elseif ($null -ne $v -and ($v -is [System.Collections.IEnumerable])) { $parts = @($v) }
            elseif (Test-IisFtpsWholeNumber $v) { $parts = @($v) }
            else { return (& $refuse ('{0} is not a list of flags' -f (Format-IisFtpsInput $v))) }
            $mask = 0L
            foreach ($part in $parts) {
                if (Test-IisFtpsWholeNumber $part) {
                    $n = [decimal]([string]$part).Trim()
                    if ($n -gt [long]::MaxValue -or (([long]$n) -band (-bnot $all)) -ne 0) { return (& $refuse ('{0} is not a sum of this attribute''s flags' -f (Format-IisFtpsInput $part))) }
                    $mask = $mask -bor [long]$n
                    continue
                }
                if (-not ($part -is [string])) { return (& $refuse ('{0} is not a flag name' -f (Format-IisFtpsInput $part))) }
                $t = $part.Trim()
                if ($t -eq '' -or $t -eq 'None') { continue }
                $hit = @($bits | Where-Object { [string]::Equals($_.Name, $t, [System.StringComparison]::OrdinalIgnoreCase) })
                if ($hit.Count -eq 0) { return (& $refuse ('{0} is not a flag of this attribute' -f (Format-IisFtpsInput $t))) }
                $mask = $mask -bor [long]$hit[0].Value
            }
            $names = New-Object System.Collections.Generic.List[string]
            foreach ($b in $bits) { if (($mask -band [long]$b.Value) -ne 0) { $names.Add($b.Name) } }
            return @{ ok = $true; value = [string[]]$names.ToArray() }
        }
        'timeSpan' {
            $ticks = $null
            if ($v -is [System.TimeSpan]) { $ticks = $v.Ticks }
            elseif ($v -is [System.Collections.IDictionary] -and $v.Contains('Ticks')) { $ticks = [long]$v['Ticks'] }
            elseif ($v -is [System.Management.Automation.PSCustomObject] -and $null -ne $v.PSObject.Properties['Ticks']) { $ticks = [long]$v.Ticks }
            elseif ($v -is [string]) {
                if ($v.Trim().StartsWith('-')) { return (& $refuse ('{0} is negative; a time span here must be 00:00:00 or more' -f (Format-IisFtpsInput $v))) }
                $m = [regex]::Match($v.Trim(), '^(?:(\d+)\.)?(\d+):(\d{1,2}):(\d{1,2})(?:\.(\d{1,7}))?$')
                if ($m.Success -and [int]$m.Groups[3].Value -le 59 -and [int]$m.Groups[4].Value -le 59) {
                    $days = 0
                    if ($m.Groups[1].Success) { $days = [decimal]$m.Groups[1].Value }
                    $seconds = $days * 86400 + [decimal]$m.Groups[2].Value * 3600 + [decimal]$m.Groups[3].Value * 60 + [decimal]$m.Groups[4].Value
                    $fraction = 0
                    if ($m.Groups[5].Success) { $fraction = [decimal]$m.Groups[5].Value.PadRight(7, '0') }
                    $total = $seconds * 10000000 + $fraction
                    if ($total -le 9007199254740991) { $ticks = [long]$total }
                }
                if ($null -eq $ticks) { return (& $refuse ('{0} is not a time span (minutes and seconds run 00 to 59)' -f (Format-IisFtpsInput $v))) }
            } else {
                return (& $refuse ('{0} is not a time span' -f (Format-IisFtpsInput $v)))
            }
            if ($ticks -lt 0) { return (& $refuse ('{0} is negative or out of range' -f (Format-IisFtpsInput $v))) }
            return @{ ok = $true; value = (Format-IisFtpsTimeSpan -Ticks $ticks) }
        }
        'bool' {
            if ($v -is [bool]) { return @{ ok = $true; value = $v } }
            if ($v -is [string]) {
                if ($v.Trim() -eq 'true') { return @{ ok = $true; value = $true } }
                if ($v.Trim() -eq 'false') { return @{ ok = $true; value = $false } }
            }
            return (& $refuse ('{0} is not a boolean' -f (Format-IisFtpsInput $v)))
        }
        'thumbprint' {
            if (-not ($v -is [string])) { return (& $refuse ('{0} is not text' -f (Format-IisFtpsInput $v))) }
            $hadNoise = [regex]::IsMatch($v, '[\u200B-\u200F\u202A-\u202E\u2060\uFEFF]')
            $clean = [regex]::Replace($v, '[\s\u200B-\u200F\u202A-\u202E\u2060\uFEFF]', '')
            $bad = [regex]::Match($clean, '[^0-9a-fA-F]')
            if ($bad.Success) {
                return (& $refuse ('{0} contains {1} (U+{2}), which is not a hex digit' -f (Format-IisFtpsInput $v), (Format-IisFtpsInput $bad.Value), ([int][char]$bad.Value[0]).ToString('X4')))
            }
            if ($clean.Length -ne 40) {
                $note = ''
                if ($hadNoise) { $note = ' after removing spaces and invisible marks' }
                return (& $refuse ('{0} has {1} hex digits{2}; a thumbprint has 40' -f (Format-IisFtpsInput $v), $clean.Length, $note))
            }
            return @{ ok = $true; value = $clean }
        }
        default {
            if (-not ($v -is [string])) { return (& $refuse ('{0} is not text' -f (Format-IisFtpsInput $v))) }
            if ($v.Length -eq 0) { return (& $refuse 'the value is empty (to remove a setting, reset it)') }
            return @{ ok = $true; value = $v }
        }
    }
}

function ConvertTo-IisFtpsCanonicalValue {
    <# Validates what a user gave for a setting: the canonical value, or INVALID_VALUE naming the setting, the value and what is allowed. #>
    param([Parameter(Mandatory)] $Def, [AllowNull()] $InputObject)
    $r = ConvertFrom-IisFtpsValue -Def $Def -InputObject $InputObject
    if ($r.ok) { return , $r.value }
    $hint = ''
    if ($InputObject -is [string] -and $null -ne $Def.PSObject.Properties['notHere']) {
        foreach ($p in $Def.notHere.PSObject.Properties) {
            if ([string]::Equals($p.Name, $InputObject.Trim(), [System.StringComparison]::OrdinalIgnoreCase)) { $hint = ' {0}.' -f $p.Value }
        }
    }
    throw (New-IisFtpsException -Code INVALID_VALUE -Message ('Invalid value for {0}: {1}.{2} Allowed: {3}' -f $Def.name, $r.reason, $hint, ($r.allowed -join ', ')))
}

function ConvertTo-IisFtpsText {
    <# The text IIS writes for a canonical value. #>
    param([Parameter(Mandatory)] $Def, [Parameter(Mandatory)] [AllowEmptyCollection()] $Value)
    switch ($Def.format) {
        'flags' { return (@($Value) -join ', ') }
        'bool' { if ($Value) { return 'true' } else { return 'false' } }
        default { return [string]$Value }
    }
}

function Get-IisFtpsValueNumber {
    <# For enum and flags: the number ServerManager stores for a canonical value; else $null. #>
    param([Parameter(Mandatory)] $Def, [Parameter(Mandatory)] [AllowEmptyCollection()] $Value)
    switch ($Def.format) {
        'enum' { return [int]$Def.values.$Value }
        'flags' {
            $sum = 0
            foreach ($n in @($Value)) { $sum = $sum -bor [int]$Def.bits.$n }
            return $sum
        }
        default { return $null }
    }
}
