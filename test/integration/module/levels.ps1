# Runs steps through the module's cmdlets on one file and prints, after each step, whether the file
# was written, its bytes (base64) and every level's settings as setting -> [value, source] (flags
# joined by commas).
# Used by differential.test.ts. Everything arrives as data: the steps as JSON in IIS_FTPS_TEST_STEPS,
# the file in IIS_FTPS_TEST_CONFIG, the levels in IIS_FTPS_TEST_LEVELS.
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../../../Manifest.psd1')
$schema = Get-Content -Raw (Join-Path $PSScriptRoot '../../../module/Private/schema.json') | ConvertFrom-Json
$config = $env:IIS_FTPS_TEST_CONFIG
$steps = @($env:IIS_FTPS_TEST_STEPS | ConvertFrom-Json)
$levels = @($env:IIS_FTPS_TEST_LEVELS | ConvertFrom-Json)

function Read-Levels {
    $out = [ordered]@{}
    foreach ($level in $levels) {
        if ($level -eq 'siteDefaults') { $r = Get-IisFtpsSetting -SiteDefaults -ConfigPath $config } else { $r = Get-IisFtpsSetting -SiteName $level -ConfigPath $config }
        $flat = [ordered]@{}
        foreach ($s in $schema.settings) {
            $value = $r.($s.parameter)
            # Flags as one text (ConvertTo-Json does not keep an empty array in an array); the test splits it again.
            if ($s.format -eq 'flags') { $value = (@($value) -join ',') }
            $flat[$s.name] = @($value, $r.Source.($s.name))
        }
        $out[$level] = $flat
    }
    return $out
}

$results = New-Object System.Collections.ArrayList
foreach ($step in $steps) {
    $before = (Get-FileHash -LiteralPath $config -Algorithm SHA256).Hash
    $p = @{ ConfigPath = $config }
    if ($null -eq $step.site) { $p.SiteDefaults = $true } else { $p.SiteName = [string]$step.site }
    if ($step.op -eq 'set') {
        foreach ($prop in $step.settings.PSObject.Properties) {
            $def = $schema.settings | Where-Object name -eq $prop.Name
            $p[$def.parameter] = $prop.Value
        }
        Set-IisFtpsSetting @p
    } else {
        $names = @($step.settings)
        if ($names.Count -gt 0) { $p.Setting = [string[]]$names }
        Reset-IisFtpsSetting @p
    }
    $after = (Get-FileHash -LiteralPath $config -Algorithm SHA256).Hash
    [void]$results.Add([ordered]@{ written = ($after -ne $before); bytes = [System.Convert]::ToBase64String([System.IO.File]::ReadAllBytes($config)); levels = (Read-Levels) })
}
ConvertTo-Json -InputObject @($results.ToArray()) -Depth 8 -Compress
