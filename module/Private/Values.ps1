# Values: one generic routine that decodes what a user gives for a setting into its canonical
# value, by the codec rules schema.json carries for that setting (generated from src/codecs:
# texts, patterns, limits and messages). Nothing here knows a particular attribute: the routine
# follows the setting's `codec.format`, as each TypeScript codec does, with the same data.
#
# Inputs are typed as JSON values are in TypeScript: text ([string]), numbers (any .NET number),
# booleans, lists, and objects (dictionaries, PSCustomObject). A [TimeSpan] is taken where the
# TypeScript side takes { Ticks }.

function Test-IisFtpsNumber {
    <# Whether a value is a number, as JavaScript's typeof 'number' (any .NET numeric type). #>
    param($Value)
    return ($Value -is [int] -or $Value -is [long] -or $Value -is [double] -or $Value -is [single] -or $Value -is [decimal] -or
        $Value -is [byte] -or $Value -is [sbyte] -or $Value -is [int16] -or $Value -is [uint16] -or $Value -is [uint32] -or $Value -is [uint64] -or
        $Value -is [System.Numerics.BigInteger])
}

function Test-IisFtpsList {
    <# Whether a value is a list, as JavaScript's Array.isArray (not text, not a dictionary). #>
    param($Value)
    return ($null -ne $Value -and -not ($Value -is [string]) -and -not ($Value -is [System.Collections.IDictionary]) -and $Value -is [System.Collections.IList])
}

function ConvertTo-IisFtpsJsNumberText {
    <# A number as JavaScript writes it: integers without a fraction, others shortest round-trip. #>
    param([Parameter(Mandatory)] $Value)
    $d = [double]$Value
    if ([double]::IsNaN($d) -or [double]::IsInfinity($d)) { return 'null' }
    if ($d -eq [math]::Floor($d) -and [math]::Abs($d) -lt 1e21) { return (New-Object System.Numerics.BigInteger -ArgumentList $d).ToString([System.Globalization.CultureInfo]::InvariantCulture) }
    return $d.ToString('R', [System.Globalization.CultureInfo]::InvariantCulture).Replace('E+', 'e+').Replace('E-', 'e-')
}

function ConvertTo-IisFtpsJsJson {
    <#
    A value as JavaScript's JSON.stringify writes it, which is how the codecs quote inputs in their
    messages: text with ", \ and control characters escaped (and lone surrogates as \udxxx), other
    characters as they are.
    #>
    param($Value)
    if ($null -eq $Value) { return 'null' }
    if ($Value -is [string] -or $Value -is [char]) {
        $s = [string]$Value
        $sb = New-Object System.Text.StringBuilder
        [void]$sb.Append('"')
        for ($i = 0; $i -lt $s.Length; $i++) {
            $c = $s[$i]
            $n = [int]$c
            if ($c -eq '"') { [void]$sb.Append('\"') }
            elseif ($c -eq '\') { [void]$sb.Append('\\') }
            elseif ($n -eq 8) { [void]$sb.Append('\b') }
            elseif ($n -eq 9) { [void]$sb.Append('\t') }
            elseif ($n -eq 10) { [void]$sb.Append('\n') }
            elseif ($n -eq 12) { [void]$sb.Append('\f') }
            elseif ($n -eq 13) { [void]$sb.Append('\r') }
            elseif ($n -lt 0x20) { [void]$sb.Append(('\u{0:x4}' -f $n)) }
            elseif ([char]::IsHighSurrogate($c) -and $i + 1 -lt $s.Length -and [char]::IsLowSurrogate($s[$i + 1])) { [void]$sb.Append($c).Append($s[$i + 1]); $i++ }
            elseif ([char]::IsSurrogate($c)) { [void]$sb.Append(('\u{0:x4}' -f $n)) }
            else { [void]$sb.Append($c) }
        }
        [void]$sb.Append('"')
        return $sb.ToString()
    }
    if ($Value -is [bool]) { if ($Value) { return 'true' } else { return 'false' } }
    if (Test-IisFtpsNumber $Value) { return (ConvertTo-IisFtpsJsNumberText $Value) }
    if ($Value -is [System.TimeSpan]) { return (ConvertTo-IisFtpsJsJson $Value.ToString('c', [System.Globalization.CultureInfo]::InvariantCulture)) }
    if ($Value -is [System.Collections.IDictionary]) {
        $parts = @()
        foreach ($key in $Value.Keys) { $parts += ((ConvertTo-IisFtpsJsJson ([string]$key)) + ':' + (ConvertTo-IisFtpsJsJson $Value[$key])) }
        return '{' + ($parts -join ',') + '}'
    }
    if ($Value -is [System.Management.Automation.PSCustomObject]) {
        $parts = @()
        foreach ($p in $Value.PSObject.Properties) { $parts += ((ConvertTo-IisFtpsJsJson $p.Name) + ':' + (ConvertTo-IisFtpsJsJson $p.Value)) }
        return '{' + ($parts -join ',') + '}'
    }
    if ($Value -is [System.Collections.IEnumerable]) {
        $parts = @()
        foreach ($item in $Value) { $parts += (ConvertTo-IisFtpsJsJson $item) }
        return '[' + ($parts -join ',') + ']'
    }
    return (ConvertTo-IisFtpsJsJson ([string]$Value))
}

function Test-IisFtpsSameText {
    <# Ordinal equality of two texts. PowerShell's -eq and -ceq compare by culture, which ignores characters such as U+0000 or U+200B. #>
    param([AllowNull()] [string] $A, [AllowNull()] [string] $B)
    return [string]::Equals($A, $B, [System.StringComparison]::Ordinal)
}

function Format-IisFtpsInput {
    <# An input as the codecs quote it in messages (JSON.stringify). #>
    param($InputObject)
    return (ConvertTo-IisFtpsJsJson $InputObject)
}

function Format-IisFtpsTemplate {
    <# Fills a message template from schema.json: {name} becomes the value of name (one pass, as src/codecs' say()). #>
    param([Parameter(Mandatory)] [AllowEmptyString()] [string] $Template, [Parameter(Mandatory)] [AllowEmptyCollection()] [hashtable] $Vars)
    return [regex]::Replace($Template, '\{(\w+)\}', {
            param($m)
            $name = $m.Groups[1].Value
            if ($Vars.ContainsKey($name)) { return [string]$Vars[$name] }
            return $m.Value
        })
}

function Get-IisFtpsTrimmed {
    <# Text without leading and trailing white space, by schema.json's lexical.whitespace (what JavaScript's trim() removes). #>
    param([Parameter(Mandatory)] [AllowEmptyString()] [string] $Text)
    $ws = (Get-IisFtpsSchema).lexical.whitespace
    return [regex]::Replace($Text, ('^(?:{0})+|(?:{0})+$' -f $ws), '')
}

function ConvertTo-IisFtpsAsciiUpper {
    <# Upper case for ASCII letters only (src/codecs' asciiUpper), so no runtime's case table decides. #>
    param([Parameter(Mandatory)] [AllowEmptyString()] [string] $Text)
    return [regex]::Replace($Text, '[a-z]+', { param($m) $m.Value.ToUpperInvariant() })
}

function ConvertTo-IisFtpsAsciiLower {
    <# Lower case for ASCII letters only (src/codecs' asciiLower). #>
    param([Parameter(Mandatory)] [AllowEmptyString()] [string] $Text)
    return [regex]::Replace($Text, '[A-Z]+', { param($m) $m.Value.ToLowerInvariant() })
}

function ConvertFrom-IisFtpsNumberText {
    <# A JavaScript Number() of text that matched the codec's numberText pattern (digits, white space around). #>
    param([Parameter(Mandatory)] [AllowEmptyString()] [string] $Text)
    return [double]::Parse((Get-IisFtpsTrimmed $Text), [System.Globalization.NumberStyles]::None, [System.Globalization.CultureInfo]::InvariantCulture)
}

function Format-IisFtpsTimeSpan {
    <# .NET's constant ("c") format of ticks: hh:mm:ss below a day, d.hh:mm:ss from a day on, .fffffff when not whole seconds (src/codecs' formatTimeSpan). #>
    param([Parameter(Mandatory)] [long] $Ticks)
    $span = New-Object System.TimeSpan -ArgumentList $Ticks
    return $span.ToString('c', [System.Globalization.CultureInfo]::InvariantCulture)
}

function Get-IisFtpsTicks {
    <# The ticks of a time span given as { Ticks } (a dictionary or object whose Ticks is a number) or a [TimeSpan]; $null for anything else. #>
    param($Value)
    if ($Value -is [System.TimeSpan]) { return [double]$Value.Ticks }
    # The key is matched by its case, as JavaScript does (PowerShell's properties and hashtables ignore case).
    $found = $false
    $ticks = $null
    if ($Value -is [System.Collections.IDictionary]) {
        foreach ($k in $Value.Keys) { if (Test-IisFtpsSameText ([string]$k) 'Ticks') { $found = $true; $ticks = $Value[$k] } }
    } elseif ($Value -is [System.Management.Automation.PSCustomObject]) {
        foreach ($p in $Value.PSObject.Properties) { if (Test-IisFtpsSameText $p.Name 'Ticks') { $found = $true; $ticks = $p.Value } }
    }
    if ($found -and (Test-IisFtpsNumber $ticks)) { return [double]$ticks }
    return $null
}

function ConvertFrom-IisFtpsTimeSpanText {
    <# Ticks of [d.]hh:mm:ss[.fffffff] by the codec's pattern and limits, or $null (src/codecs' parseTimeSpan). #>
    param([Parameter(Mandatory)] $Codec, [Parameter(Mandatory)] [AllowEmptyString()] [string] $Text)
    $m = [regex]::Match((Get-IisFtpsTrimmed $Text), $Codec.pattern)
    if (-not $m.Success) { return $null }
    try {
        $culture = [System.Globalization.CultureInfo]::InvariantCulture
        $parse = { param($g) [decimal]::Parse($g, [System.Globalization.NumberStyles]::None, $culture) }
        $days = 0
        if ($m.Groups[1].Success) { $days = & $parse $m.Groups[1].Value }
        $hours = & $parse $m.Groups[2].Value
        $minutes = & $parse $m.Groups[3].Value
        $seconds = & $parse $m.Groups[4].Value
        if ($minutes -gt $Codec.maxSixty -or $seconds -gt $Codec.maxSixty) { return $null }
        $fraction = 0
        if ($m.Groups[5].Success) { $fraction = & $parse $m.Groups[5].Value.PadRight([int]$Codec.fractionDigits, '0') }
        $ticks = (((($days * 24) + $hours) * 60 + $minutes) * 60 + $seconds) * [decimal]$Codec.ticksPerSecond + $fraction
    } catch [System.OverflowException] {
        return $null
    }
    if ($ticks -gt [decimal]$Codec.maxTicks) { return $null }
    return [double]$ticks
}

function ConvertFrom-IisFtpsValue {
    <#
    Decodes a value for a setting into its canonical value by the setting's codec data: enum name,
    flag names (an array in ascending bit order), time span text, boolean, or text. Returns
    @{ ok; value } or @{ ok = $false; reason; allowed }, as the TypeScript codec of that format.
    #>
    param([Parameter(Mandatory)] $Def, [AllowNull()] $InputObject)
    $codec = $Def.codec
    $msg = $codec.messages
    $allowed = @($codec.accepts)
    $v = $InputObject
    $refuse = {
        param([string] $Template, [hashtable] $Vars)
        return @{ ok = $false; reason = (Format-IisFtpsTemplate -Template $Template -Vars $Vars); allowed = $allowed }
    }
    $quoted = @{ input = (Format-IisFtpsInput $v) }
    switch ($codec.format) {
        'enum' {
            $props = @($codec.values.PSObject.Properties)
            if ((Test-IisFtpsNumber $v) -or ($v -is [string] -and [regex]::IsMatch($v, $codec.numberText))) {
                if ($v -is [string]) { $n = ConvertFrom-IisFtpsNumberText $v } else { $n = [double]$v }
                foreach ($p in $props) { if ([double]$p.Value -eq $n) { return @{ ok = $true; value = $p.Name } } }
                return (& $refuse $msg.notANumber $quoted)
            }
            if ($v -is [string]) {
                $key = ConvertTo-IisFtpsAsciiUpper (Get-IisFtpsTrimmed $v)
                foreach ($p in $props) { if ((Test-IisFtpsSameText (ConvertTo-IisFtpsAsciiUpper $p.Name) $key)) { return @{ ok = $true; value = $p.Name } } }
                return (& $refuse $msg.notAName $quoted)
            }
            return (& $refuse $msg.wrongType $quoted)
        }
        'flags' {
            $bits = @($codec.bits.PSObject.Properties | Sort-Object { [long]$_.Value })
            $all = 0L
            foreach ($b in $bits) { $all = $all -bor [long]$b.Value }
            if (Test-IisFtpsNumber $v) { $parts = @(, $v) }
            elseif ($v -is [string]) { $parts = @($v.Split([string[]]@($codec.split), [System.StringSplitOptions]::None)) }
            elseif (Test-IisFtpsList $v) { $parts = @($v) }
            else { return (& $refuse $msg.notAList $quoted) }
            $mask = 0L
            foreach ($part in $parts) {
                if ((Test-IisFtpsNumber $part) -or ($part -is [string] -and [regex]::IsMatch($part, $codec.numberText))) {
                    if ($part -is [string]) { $n = ConvertFrom-IisFtpsNumberText $part } else { $n = [double]$part }
                    if ([double]::IsNaN($n) -or [double]::IsInfinity($n) -or $n -ne [math]::Floor($n) -or $n -lt 0 -or $n -gt $all -or (([long]$n) -band (-bnot $all)) -ne 0) {
                        return (& $refuse $msg.notASum @{ input = (Format-IisFtpsInput $part) })
                    }
                    $mask = $mask -bor [long]$n
                    continue
                }
                if (-not ($part -is [string])) { return (& $refuse $msg.notAName @{ input = (Format-IisFtpsInput $part) }) }
                $t = Get-IisFtpsTrimmed $part
                $key = ConvertTo-IisFtpsAsciiUpper $t
                if ($t.Length -eq 0 -or (Test-IisFtpsSameText $key (ConvertTo-IisFtpsAsciiUpper $codec.none))) { continue }
                $hit = @($bits | Where-Object { Test-IisFtpsSameText (ConvertTo-IisFtpsAsciiUpper $_.Name) $key })
                if ($hit.Count -eq 0) { return (& $refuse $msg.notAFlag @{ input = (Format-IisFtpsInput $t) }) }
                $mask = $mask -bor [long]$hit[0].Value
            }
            $names = New-Object System.Collections.Generic.List[string]
            foreach ($b in $bits) { if (($mask -band [long]$b.Value) -ne 0) { $names.Add($b.Name) } }
            return @{ ok = $true; value = [string[]]$names.ToArray() }
        }
        'timeSpan' {
            $ticks = Get-IisFtpsTicks $v
            if ($null -eq $ticks) {
                if (-not ($v -is [string])) { return (& $refuse $msg.notAText $quoted) }
                if ((Get-IisFtpsTrimmed $v).StartsWith([string]$codec.negative, [System.StringComparison]::Ordinal)) { return (& $refuse $msg.negative $quoted) }
                $ticks = ConvertFrom-IisFtpsTimeSpanText -Codec $codec -Text $v
                if ($null -eq $ticks) { return (& $refuse $msg.notATimeSpan $quoted) }
            }
            if ([double]::IsNaN($ticks) -or $ticks -ne [math]::Floor($ticks) -or $ticks -lt 0 -or $ticks -gt [double]$codec.maxTicks) { return (& $refuse $msg.outOfRange $quoted) }
            return @{ ok = $true; value = (Format-IisFtpsTimeSpan -Ticks ([long]$ticks)) }
        }
        'bool' {
            if ($v -is [bool]) { return @{ ok = $true; value = $v } }
            if ($v -is [string]) {
                $t = ConvertTo-IisFtpsAsciiLower (Get-IisFtpsTrimmed $v)
                if (Test-IisFtpsSameText $t $codec.texts.true) { return @{ ok = $true; value = $true } }
                if (Test-IisFtpsSameText $t $codec.texts.false) { return @{ ok = $true; value = $false } }
            }
            return (& $refuse $msg.notABool $quoted)
        }
        'thumbprint' {
            if (-not ($v -is [string])) { return (& $refuse $msg.notText $quoted) }
            $hadNoise = [regex]::IsMatch($v, $codec.invisible)
            $clean = [regex]::Replace($v, $codec.noise, '')
            $bad = [regex]::Match($clean, $codec.notADigit)
            if ($bad.Success) {
                return (& $refuse $msg.notADigit @{ input = $quoted.input; char = (Format-IisFtpsInput $bad.Value); code = ([int]$bad.Value[0]).ToString('X4') })
            }
            if ($clean.Length -ne [int]$codec.digits) {
                $note = ''
                if ($hadNoise) { $note = $msg.noiseNote }
                return (& $refuse $msg.length @{ input = $quoted.input; count = $clean.Length; note = $note; digits = $codec.digits })
            }
            return @{ ok = $true; value = $clean }
        }
        'string' {
            if (-not ($v -is [string])) { return (& $refuse $msg.notText $quoted) }
            if ($v.Length -eq 0) { return (& $refuse $msg.empty @{}) }
            $bad = [regex]::Match($v, $codec.forbidden)
            if ($bad.Success) { return (& $refuse $msg.forbidden @{ input = $quoted.input; code = ([int]$bad.Value[0]).ToString('X4') }) }
            return @{ ok = $true; value = $v }
        }
        default {
            throw (New-IisFtpsException -Code BACKEND_FAILED -Message ("The module's schema.json names a value format '{0}' this module does not know; reinstall the module." -f $codec.format))
        }
    }
}

function Get-IisFtpsParameterValue {
    <#
    A cmdlet parameter's value as the CLI would see it: PowerShell binds one text given to a
    [string[]] parameter as a list of one, so `-ValidationFlags 'A,B'` would be the list ['A,B']
    where `--validation-flags A,B` is the text 'A,B'. A list of one is taken as its element.
    #>
    param([AllowNull()] $Value)
    if ((Test-IisFtpsList $Value) -and @($Value).Count -eq 1) { return , (@($Value)[0]) }
    return , $Value
}

function ConvertTo-IisFtpsCanonicalValue {
    <# Validates what a user gave for a setting: the canonical value, or INVALID_VALUE naming the setting, the value and what is allowed (the message of src/schema/validate.ts, from schema.json). #>
    param([Parameter(Mandatory)] $Def, [AllowNull()] $InputObject)
    $r = ConvertFrom-IisFtpsValue -Def $Def -InputObject $InputObject
    if ($r.ok) { return , $r.value }
    $messages = (Get-IisFtpsSchema).messages
    $hint = ''
    if ($InputObject -is [string] -and $null -ne $Def.PSObject.Properties['notHere']) {
        $key = ConvertTo-IisFtpsAsciiUpper (Get-IisFtpsTrimmed $InputObject)
        foreach ($p in $Def.notHere.PSObject.Properties) {
            if ((Test-IisFtpsSameText (ConvertTo-IisFtpsAsciiUpper $p.Name) $key)) { $hint = Format-IisFtpsTemplate -Template $messages.hint -Vars @{ hint = $p.Value }; break }
        }
    }
    $text = Format-IisFtpsTemplate -Template $messages.invalidValue -Vars @{ setting = $Def.name; reason = $r.reason; hint = $hint; allowed = ($r.allowed -join $messages.allowedSeparator) }
    throw (New-IisFtpsException -Code INVALID_VALUE -Message $text)
}

function ConvertTo-IisFtpsText {
    <# The text IIS writes for a canonical value (src/codecs' encode): flags joined as the codec joins them, booleans by its texts. #>
    param([Parameter(Mandatory)] $Def, [Parameter(Mandatory)] [AllowEmptyCollection()] $Value)
    switch ($Def.codec.format) {
        'flags' { return (@($Value) -join $Def.codec.join) }
        'bool' { if ($Value) { return [string]$Def.codec.texts.true } else { return [string]$Def.codec.texts.false } }
        default { return [string]$Value }
    }
}

function Get-IisFtpsValueNumber {
    <# For enum and flags: the number ServerManager stores for a canonical value; else $null. #>
    param([Parameter(Mandatory)] $Def, [Parameter(Mandatory)] [AllowEmptyCollection()] $Value)
    switch ($Def.codec.format) {
        'enum' { return [int]$Def.codec.values.$Value }
        'flags' {
            $sum = 0
            foreach ($n in @($Value)) { $sum = $sum -bor [int]$Def.codec.bits.$n }
            return $sum
        }
        default { return $null }
    }
}
