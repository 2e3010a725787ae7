# Pester tests of -DesiredState on Test-IisFtpsSetting (drift) and Set-IisFtpsSetting (apply),
# run by desired-state.test.ts with the environment of the module suite (see IisFtps.Tests.ps1),
# on copies of the fixture, through ServerManager (the test double) and through the Node CLI.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    # The fixture: siteDefaults sets revocationFreshnessTime 01:00:00; "Partner Exchange" (id 3)
    # sets clientCertificatePolicy CertAllow and revocationUrlRetrievalTimeout 00:00:30, and
    # inherits revocationFreshnessTime.
    $script:Desired = @{
        siteDefaults = @{ ValidationFlags = @() }
        sites        = @{ 'Partner Exchange' = @{ clientCertificatePolicy = 'CertRequire'; RevocationUrlRetrievalTimeout = $null; revocationFreshnessTime = '01:00:00' } }
    }
}

Describe 'Desired state through <_>' -ForEach @('ServerManager', 'NodeCli') {
    BeforeAll { $script:Kind = $_ }
    BeforeEach {
        Use-Backend $Kind
        $script:Config = New-TestConfig
    }

    It 'Test-IisFtpsSetting -DesiredState lists each setting that is not as desired, and writes nothing' {
        $before = Get-FileState $Config
        $drift = @(Test-IisFtpsSetting -DesiredState $Desired -ConfigPath $Config)
        (Get-FileState $Config).hash | Should -Be $before.hash
        (Get-FileState $Config).mtime | Should -Be $before.mtime
        @($drift | ForEach-Object { $_.PSObject.TypeNames[0] } | Select-Object -Unique) | Should -Be @('IisFtps.Drift')
        @($drift | ForEach-Object { '{0}|{1}' -f $_.Level, $_.Setting }) | Should -Be @('siteDefaults|validationFlags', 'site|clientCertificatePolicy', 'site|revocationFreshnessTime', 'site|revocationUrlRetrievalTimeout')
        $policy = $drift | Where-Object Setting -eq 'clientCertificatePolicy'
        $policy.SiteName | Should -Be 'Partner Exchange'
        $policy.SiteId | Should -Be 3
        $policy.Actual | Should -Be 'CertAllow'
        $policy.Desired | Should -Be 'CertRequire'
        # Set on the site, wanted inherited.
        ($drift | Where-Object Setting -eq 'revocationUrlRetrievalTimeout').Desired | Should -BeNullOrEmpty
        # Equal to what siteDefaults gives, but not set on the site: applying pins it, so it drifts.
        $pin = $drift | Where-Object Setting -eq 'revocationFreshnessTime'
        $pin.Actual | Should -BeNullOrEmpty
        $pin.Desired | Should -Be '01:00:00'
        Test-IisFtpsSetting -DesiredState $Desired -ConfigPath $Config -Quiet | Should -BeFalse
    }

    It 'reports exactly what Set-IisFtpsSetting -DesiredState changes; after it, nothing drifts and a rerun writes nothing' {
        $drift = @(Test-IisFtpsSetting -DesiredState $Desired -ConfigPath $Config | ForEach-Object { '{0}: {1}' -f $(if ($_.Level -eq 'siteDefaults') { 'siteDefaults' } else { 'site "{0}" (id {1})' -f $_.SiteName, $_.SiteId }), $_.Setting })
        $changes = @(Set-IisFtpsSetting -DesiredState $Desired -ConfigPath $Config -WhatIf -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match '^(siteDefaults|site ".*" \(id \d+\)): \w+: .* -> ' } | ForEach-Object { ($_.Message -split ': ')[0..1] -join ': ' })
        $changes | Should -Be $drift
        Set-IisFtpsSetting -DesiredState $Desired -ConfigPath $Config
        $text = Get-Content -Raw -LiteralPath $Config
        $text | Should -Match 'clientCertificatePolicy="CertRequire"'
        @(Test-IisFtpsSetting -DesiredState $Desired -ConfigPath $Config).Count | Should -Be 0
        Test-IisFtpsSetting -DesiredState $Desired -ConfigPath $Config -Quiet | Should -BeTrue
        $after = Get-FileState $Config
        Set-IisFtpsSetting -DesiredState $Desired -ConfigPath $Config
        (Get-FileState $Config).hash | Should -Be $after.hash
        (Get-FileState $Config).mtime | Should -Be $after.mtime
    }

    It 'takes the desired state as a JSON file (relative to the current location) and as ConvertFrom-Json objects' {
        $json = '{ "siteDefaults": { "validationFlags": [] }, "sites": { "Partner Exchange": { "clientCertificatePolicy": "CertRequire" } } }'
        $file = Join-Path $TestDrive 'baseline.json'
        Set-Content -LiteralPath $file -Value $json -Encoding UTF8
        Push-Location $TestDrive
        try { $fromFile = @(Test-IisFtpsSetting -DesiredState './baseline.json' -ConfigPath $Config) } finally { Pop-Location }
        $fromObject = @(Test-IisFtpsSetting -DesiredState ($json | ConvertFrom-Json) -ConfigPath $Config)
        @($fromFile.Setting) | Should -Be @('validationFlags', 'clientCertificatePolicy')
        @($fromObject.Setting) | Should -Be @($fromFile.Setting)
    }

    It 'refuses <name> before reading anything, naming the problem, and writes nothing' -ForEach @(
        @{ name = 'an unknown top-level key'; desired = @{ site = @{} }; code = 'INVALID_DESIRED_STATE'; match = 'unknown key "site"; the keys are siteDefaults and sites' }
        @{ name = 'settings that are not a record'; desired = @{ siteDefaults = 'SslRequire' }; code = 'INVALID_DESIRED_STATE'; match = 'at siteDefaults: expected a record' }
        @{ name = 'an unknown setting'; desired = @{ sites = @{ 'Partner Exchange' = @{ clientCertPolicy = 'CertRequire' } } }; code = 'UNKNOWN_SETTING'; match = 'sites\["Partner Exchange"\]: Unknown setting "clientCertPolicy"' }
        @{ name = 'a bad value'; desired = @{ siteDefaults = @{ dataChannelPolicy = 'SslRequireCredentialsOnly' } }; code = 'INVALID_VALUE'; match = '^siteDefaults: Invalid value for dataChannelPolicy' }
        @{ name = 'a file that is not JSON'; desired = 'not-json'; code = 'INVALID_DESIRED_STATE'; match = 'is not valid JSON' }
    ) {
        $before = Get-FileState $Config
        $given = $desired
        if ($given -eq 'not-json') { $given = Join-Path $TestDrive 'bad.json'; Set-Content -LiteralPath $given -Value '{ "sites": ' }
        foreach ($command in 'Test-IisFtpsSetting', 'Set-IisFtpsSetting') {
            $err = $null
            try { & $command -DesiredState $given -ConfigPath $Config -ErrorAction Stop } catch { $err = $_ }
            $err | Should -Not -BeNullOrEmpty -Because $command
            $err.FullyQualifiedErrorId | Should -BeLike "$code,$command"
            $err.Exception.Message | Should -Match $match
        }
        (Get-FileState $Config).hash | Should -Be $before.hash
    }

    It 'a site that does not exist is SITE_NOT_FOUND, and Set- writes nothing for the other levels' {
        $before = Get-FileState $Config
        $d = @{ siteDefaults = @{ Ssl128 = $true }; sites = @{ 'No Such Site' = @{ Ssl128 = $true } } }
        { Test-IisFtpsSetting -DesiredState $d -ConfigPath $Config -ErrorAction Stop } | Should -Throw -ErrorId 'SITE_NOT_FOUND,Test-IisFtpsSetting'
        { Set-IisFtpsSetting -DesiredState $d -ConfigPath $Config -ErrorAction Stop } | Should -Throw -ErrorId 'SITE_NOT_FOUND,Set-IisFtpsSetting'
        (Get-FileState $Config).hash | Should -Be $before.hash
    }

    It 'Set-IisFtpsSetting -DesiredState goes with no setting parameter' {
        { Set-IisFtpsSetting -DesiredState $Desired -Ssl128 $true -ConfigPath $Config -ErrorAction Stop } | Should -Throw -ErrorId 'USAGE,Set-IisFtpsSetting'
    }

    It 'the DSC resource''s Test() and Test-IisFtpsSetting -DesiredState agree' {
        $r = & (Get-Module Manifest) { [IisFtpsSetting]::new() }
        $r.Level = 'Site'; $r.SiteName = 'Partner Exchange'; $r.ConfigPath = $Config; $r.ClientCertificatePolicy = 'CertAllow'; $r.RevocationUrlRetrievalTimeout = '00:00:30'
        $r.Test() | Should -BeTrue
        @(Test-IisFtpsSetting -DesiredState @{ sites = @{ 'Partner Exchange' = @{ ClientCertificatePolicy = 'CertAllow'; RevocationUrlRetrievalTimeout = '00:00:30' } } } -ConfigPath $Config).Count | Should -Be 0
        $r.Ssl128 = $true
        $r.Test() | Should -BeFalse
        @(Test-IisFtpsSetting -DesiredState @{ sites = @{ 'Partner Exchange' = @{ ClientCertificatePolicy = 'CertAllow'; Ssl128 = $true } } } -ConfigPath $Config).Setting | Should -Be @('ssl128')
    }
}
