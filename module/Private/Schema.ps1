# The settings schema, as generated from src/schema, src/codecs and src/doctor into schema.json
# (npm run build:schema): settings, their codec rules, messages and the doctor's rules. Loaded on
# first use, never at import. Nothing in the module describes a particular setting by hand.

$script:IisFtpsSchemaCache = $null

function Get-IisFtpsSchema {
    <# The parsed schema.json, read once per session on first use. #>
    [CmdletBinding()]
    param()
    if ($null -eq $script:IisFtpsSchemaCache) {
        $path = Join-Path $PSScriptRoot 'schema.json'
        try {
            $text = [System.IO.File]::ReadAllText($path, [System.Text.Encoding]::UTF8)
        } catch {
            throw (New-IisFtpsException -Code FILE_READ -Message ("The module's schema file {0} cannot be read: {1}. Reinstall the module, or run 'npm run build:schema' in a clone." -f $path, $_.Exception.Message))
        }
        $script:IisFtpsSchemaCache = ConvertFrom-Json -InputObject $text
    }
    return $script:IisFtpsSchemaCache
}

function Get-IisFtpsSettingDef {
    <#
    Every setting (no -Name), or the one -Name names: its schema name or parameter name in any
    case, its CLI option (--client-certificate-policy) or element.attribute. Throws
    UNKNOWN_SETTING listing the settings when none matches.
    #>
    [CmdletBinding()]
    param([string] $Name)
    $all = @((Get-IisFtpsSchema).settings)
    if (-not $PSBoundParameters.ContainsKey('Name')) { return $all }
    $t = $Name.Trim()
    foreach ($s in $all) {
        if ([string]::Equals($s.name, $t, [System.StringComparison]::OrdinalIgnoreCase) -or
            [string]::Equals($s.option, $t, [System.StringComparison]::OrdinalIgnoreCase) -or
            [string]::Equals($s.option.Substring(2), $t, [System.StringComparison]::OrdinalIgnoreCase) -or
            [string]::Equals(('{0}.{1}' -f $s.element, $s.attribute), $t, [System.StringComparison]::OrdinalIgnoreCase)) {
            return $s
        }
    }
    $names = @($all | ForEach-Object { $_.name })
    $near = @($names | Where-Object { $_.IndexOf($t, [System.StringComparison]::OrdinalIgnoreCase) -ge 0 -or ($t.Length -ge 4 -and $t.IndexOf($_.Substring(0, 4), [System.StringComparison]::OrdinalIgnoreCase) -ge 0) })
    $hint = ''
    if ($near.Count -gt 0) { $hint = ' Did you mean {0}?' -f ($near -join ' or ') }
    throw (New-IisFtpsException -Code UNKNOWN_SETTING -Message ('Unknown setting "{0}".{1} Settings: {2}' -f $Name, $hint, ($names -join ', ')))
}

function Get-IisFtpsAllowedValues {
    <# What a setting accepts, as the TypeScript codecs word it (for errors and help): the codec's accepts list in schema.json. #>
    param([Parameter(Mandatory)] $Def)
    return @($Def.codec.accepts)
}

function Get-IisFtpsCompletionResult {
    <# Tab completion for a setting parameter (enum and flag names) or for -Setting (setting names), from the schema. #>
    param([Parameter(Mandatory)] [string] $ParameterName, [AllowEmptyString()] [string] $WordToComplete = '')
    $word = $WordToComplete.Trim('''', '"')
    if ($ParameterName -eq 'Setting') {
        $candidates = @(Get-IisFtpsSettingDef | ForEach-Object { $_.name })
    } else {
        $def = @(Get-IisFtpsSettingDef | Where-Object { $_.parameter -eq $ParameterName })
        if ($def.Count -eq 0) { return }
        switch ($def[0].codec.format) {
            'enum' { $candidates = @($def[0].values.PSObject.Properties | ForEach-Object { $_.Name }) }
            'flags' { $candidates = @($def[0].bits.PSObject.Properties | ForEach-Object { $_.Name }) + @($def[0].codec.none) }
            'bool' { $candidates = @('$true', '$false') }
            default { return }
        }
    }
    foreach ($c in $candidates) {
        if ($c.StartsWith($word, [System.StringComparison]::OrdinalIgnoreCase)) {
            New-Object System.Management.Automation.CompletionResult -ArgumentList $c, $c, 'ParameterValue', $c
        }
    }
}
