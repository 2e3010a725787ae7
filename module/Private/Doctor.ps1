# The doctor's rules for the ServerManager path: the rules of src/doctor/rules.ts, as data in
# schema.json (doctorRules: conditions on settings and a message template), checked by one
# generic routine. No rule is written here.

function Get-IisFtpsDoctorRule {
    <# The doctor's rules, from schema.json, in the order the CLI reports them. #>
    return @((Get-IisFtpsSchema).doctorRules)
}

function ConvertTo-IisFtpsJsString {
    <# A value as JavaScript's String() writes it into a message: null, true/false, lists joined by commas. #>
    param($Value)
    if ($null -eq $Value) { return 'null' }
    if ($Value -is [bool]) { if ($Value) { return 'true' } else { return 'false' } }
    if ($Value -is [string]) { return $Value }
    if (Test-IisFtpsNumber $Value) { return (ConvertTo-IisFtpsJsNumberText $Value) }
    if (Test-IisFtpsList $Value) { return (@($Value | ForEach-Object { ConvertTo-IisFtpsJsString $_ }) -join ',') }
    return [string]$Value
}

function Get-IisFtpsDoctorProblem {
    <# The stored values that cannot be read, each as schema.json's doctor.problemList.item words it. #>
    param([Parameter(Mandatory)] $Settings)
    $item = (Get-IisFtpsSchema).doctor.problemList.item
    foreach ($el in $Settings.Keys) {
        foreach ($a in $Settings[$el].Keys) {
            $e = $Settings[$el][$a]
            $problem = Get-IisFtpsProperty $e 'problem'
            if ($null -ne $problem -and ([string]$problem).Length -gt 0) {
                Format-IisFtpsTemplate -Template $item -Vars @{ element = $el; attribute = $a; source = (Get-IisFtpsProperty $e 'source'); problem = $problem }
            }
        }
    }
}

function Get-IisFtpsEffectiveValue {
    <# A setting's effective value in element -> attribute -> { value, ... }, by setting name. #>
    param([Parameter(Mandatory)] $Settings, [Parameter(Mandatory)] [string] $Setting)
    $def = Get-IisFtpsSettingDef -Name $Setting
    return (Get-IisFtpsProperty (Get-IisFtpsProperty (Get-IisFtpsProperty $Settings $def.element) $def.attribute) 'value')
}

function Test-IisFtpsDoctorCondition {
    <#
    Whether one condition of a rule holds: equals / notEquals (strict: same type and value),
    includes (a list with that name), isEmpty (null or empty text), problems (any stored value that
    cannot be read). As src/doctor/rules.ts.
    #>
    param([Parameter(Mandatory)] $Condition, [Parameter(Mandatory)] $Settings)
    $has = { param([string] $Name) $null -ne $Condition.PSObject.Properties[$Name] }
    if (& $has 'problems') { return (@(Get-IisFtpsDoctorProblem -Settings $Settings).Count -gt 0) }
    $v = Get-IisFtpsEffectiveValue -Settings $Settings -Setting $Condition.setting
    $same = {
        param($A, $B)
        if ($null -eq $A -or $null -eq $B) { return ($null -eq $A -and $null -eq $B) }
        if ($A -is [bool] -or $B -is [bool]) { return ($A -is [bool] -and $B -is [bool] -and $A -eq $B) }
        if ($A -is [string] -or $B -is [string]) { return ($A -is [string] -and $B -is [string] -and (Test-IisFtpsSameText $A $B)) }
        return $false
    }
    if (& $has 'equals') { return [bool](& $same $v $Condition.equals) }
    if (& $has 'notEquals') { return -not (& $same $v $Condition.notEquals) }
    # PowerShell hands a one-element list back as its element: a single name is a list of one here.
    if (& $has 'includes') { return ($null -ne $v -and @(@($v) | Where-Object { $_ -is [string] -and (Test-IisFtpsSameText $_ $Condition.includes) }).Count -gt 0) }
    if (& $has 'isEmpty') { return ((($null -eq $v) -or ($v -is [string] -and $v.Length -eq 0)) -eq [bool]$Condition.isEmpty) }
    throw (New-IisFtpsException -Code BACKEND_FAILED -Message ("The module's schema.json has a doctor condition this module does not know ({0}); reinstall the module." -f (ConvertTo-IisFtpsJson $Condition)))
}

function Get-IisFtpsDoctorFinding {
    <# The broken rules for one level's effective settings (element -> attribute -> { value, source, problem? }). #>
    param([Parameter(Mandatory)] $Settings)
    $separator = (Get-IisFtpsSchema).doctor.problemList.separator
    foreach ($rule in Get-IisFtpsDoctorRule) {
        $broken = $true
        foreach ($c in @($rule.when)) { if (-not (Test-IisFtpsDoctorCondition -Condition $c -Settings $Settings)) { $broken = $false; break } }
        if (-not $broken) { continue }
        $message = [regex]::Replace([string]$rule.message, '\{(\w+)\}', {
                param($m)
                $name = $m.Groups[1].Value
                if ($name -eq 'problems') { return (@(Get-IisFtpsDoctorProblem -Settings $Settings) -join $separator) }
                return (ConvertTo-IisFtpsJsString (Get-IisFtpsEffectiveValue -Settings $Settings -Setting $name))
            })
        [pscustomobject][ordered]@{ rule = [string]$rule.id; severity = [string]$rule.severity; message = $message }
    }
}
