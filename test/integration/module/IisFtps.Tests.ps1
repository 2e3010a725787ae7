# Pester tests of the PowerShell module (Manifest.psd1, module/), run by module.test.ts with:
#   IIS_FTPS_TEST_FIXTURE  the fixture applicationHost.config (copied per test, never edited)
#   IIS_FTPS_TEST_MWA      the Microsoft.Web.Administration test double (the ServerManager path)
#   IIS_FTPS_CLI           cli-counter.mjs (the Node CLI path), NODE_OPTIONS with tsx's loader

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'Manifest and import' {
    It 'passes Test-ModuleManifest with explicit exports, both editions and PowerShell 5.1' {
        $m = Test-ModuleManifest -Path $Manifest -ErrorAction Stop
        @($m.ExportedFunctions.Keys | Sort-Object) | Should -Be @('Get-IisFtpsSetting', 'Reset-IisFtpsSetting', 'Set-IisFtpsSetting', 'Test-IisFtpsSetting', 'Update-IisFtpsCertificate')
        $m.ExportedCmdlets.Count | Should -Be 0
        $m.ExportedAliases.Count | Should -Be 0
        $m.ExportedVariables.Count | Should -Be 0
        @($m.CompatiblePSEditions) | Should -Be @('Desktop', 'Core')
        $m.PowerShellVersion | Should -Be ([version]'5.1')
        $package = Get-Content -Raw (Join-Path $Repo 'package.json') | ConvertFrom-Json
        $m.Version | Should -Be ([version]$package.version)
        $data = Import-PowerShellDataFile -Path $Manifest
        @($data.FunctionsToExport) | Should -Be @('Get-IisFtpsSetting', 'Set-IisFtpsSetting', 'Reset-IisFtpsSetting', 'Test-IisFtpsSetting', 'Update-IisFtpsCertificate')
        $data.RootModule | Should -Be 'module/IisFtps.psm1'
    }

    It 'exports exactly the five cmdlets, one per file of module/Public' {
        @(Get-Command -Module $ModuleName | ForEach-Object Name | Sort-Object) | Should -Be @('Get-IisFtpsSetting', 'Reset-IisFtpsSetting', 'Set-IisFtpsSetting', 'Test-IisFtpsSetting', 'Update-IisFtpsCertificate')
        @(Get-ChildItem -LiteralPath (Join-Path $Repo 'module/Public') -Filter '*.ps1' | ForEach-Object BaseName | Sort-Object) | Should -Be @(Get-Command -Module $ModuleName | ForEach-Object Name | Sort-Object)
    }

    It 'has no side effects on import: no assembly loaded, no process started, no file read' {
        $probe = @'
$ErrorActionPreference = 'Stop'
$before = @([AppDomain]::CurrentDomain.GetAssemblies() | ForEach-Object { $_.GetName().Name })
Import-Module '{0}'
$after = @([AppDomain]::CurrentDomain.GetAssemblies() | ForEach-Object { $_.GetName().Name })
$children = @(Get-Process | Where-Object { $_.Parent -and $_.Parent.Id -eq $PID })
$schemaRead = & (Get-Module Manifest) { $null -ne $script:IisFtpsSchemaCache }
[pscustomobject]@{ mwa = $after -contains 'Microsoft.Web.Administration'; newAssemblies = @($after | Where-Object { $before -notcontains $_ }); children = $children.Count; schemaRead = $schemaRead } | ConvertTo-Json -Compress
'@.Replace('{0}', $Manifest)
        $env:IIS_FTPS_MWA_PATH = $Mwa
        $json = & (Join-Path $PSHOME 'pwsh') -NoProfile -NonInteractive -Command $probe
        $r = $json | ConvertFrom-Json
        $r.mwa | Should -BeFalse
        $r.children | Should -Be 0
        $r.schemaRead | Should -BeFalse
        @($r.newAssemblies | Where-Object { $_ -match 'Web\.Administration|IisFtps' }) | Should -BeNullOrEmpty
    }

    It 'has comment-based help with a synopsis, a description, examples and every parameter described on <_>' -ForEach @('Get-IisFtpsSetting', 'Set-IisFtpsSetting', 'Reset-IisFtpsSetting', 'Test-IisFtpsSetting', 'Update-IisFtpsCertificate') {
        $help = Get-Help -Name $_ -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match ('^\s*' + $_ + '\s*\[')
        @($help.description).Count | Should -BeGreaterThan 0
        @($help.examples.example).Count | Should -BeGreaterOrEqual 2
        foreach ($example in $help.examples.example) { $example.code | Should -Not -BeNullOrEmpty }
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        foreach ($p in (Get-Command $_).Parameters.Keys | Where-Object { $common -notcontains $_ }) {
            $described = @($help.parameters.parameter | Where-Object name -eq $p)
            ($described[0].description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$p of $_ needs a description"
        }
    }
}

Describe 'The same schema as the TypeScript side' {
    It 'has a Set-IisFtpsSetting parameter per setting, named as in the schema' {
        $own = @('SiteName', 'SiteDefaults', 'DesiredState', 'ConfigPath', 'PassThru') + @('ComputerName', 'HostName', 'UserName', 'KeyFilePath', 'Port', 'SSHOption', 'Session', 'Credential', 'ThrottleLimit')
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        $params = @((Get-Command Set-IisFtpsSetting).Parameters.Keys | Where-Object { $common -notcontains $_ -and $own -notcontains $_ } | Sort-Object)
        $params | Should -Be @($Schema.settings | ForEach-Object parameter | Sort-Object)
        $Schema.settings.Count | Should -Be 11
    }

    It 'completes enum names of -<parameter> from the schema' -ForEach @(
        @{ parameter = 'ClientCertificatePolicy' }, @{ parameter = 'ControlChannelPolicy' }, @{ parameter = 'DataChannelPolicy' }
    ) {
        $line = "Set-IisFtpsSetting -SiteName x -$parameter "
        $completed = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | ForEach-Object CompletionText)
        $def = $Schema.settings | Where-Object parameter -eq $parameter
        $completed | Should -Be @($def.values.PSObject.Properties.Name)
    }

    It 'completes flag names, setting names and a prefix' {
        $line = 'Set-IisFtpsSetting -SiteDefaults -ValidationFlags '
        $flags = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | ForEach-Object CompletionText)
        $flags | Should -Be (@(($Schema.settings | Where-Object name -eq 'validationFlags').bits.PSObject.Properties.Name) + 'None')
        $line = 'Reset-IisFtpsSetting -SiteDefaults -Setting '
        @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | ForEach-Object CompletionText) | Should -Be @($Schema.settings.name)
        $line = 'Set-IisFtpsSetting -SiteDefaults -ClientCertificatePolicy certr'
        @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | ForEach-Object CompletionText) | Should -Be @('CertRequire')
    }

    It 'checks the doctor rules of src/doctor from schema.json, with the same severity' {
        $own = & (Get-Module $ModuleName) { @(Get-IisFtpsDoctorRule | ForEach-Object { '{0}:{1}' -f $_.id, $_.severity }) }
        $own | Should -Be @($Schema.doctorRules | ForEach-Object { '{0}:{1}' -f $_.id, $_.severity })
        $own.Count | Should -BeGreaterThan 0
    }

    It 'shows every setting in the list view' {
        [xml]$format = Get-Content -Raw (Join-Path $Repo 'module/IisFtps.Format.ps1xml')
        $labels = @($format.Configuration.ViewDefinitions.View | Where-Object Name -eq 'IisFtps.Setting' | ForEach-Object { $_.ListControl.ListEntries.ListEntry.ListItems.ListItem.Label })
        $labels | Should -Be (@('Target') + @($Schema.settings.parameter))
    }

    It 'refuses an unknown enum name, listing the valid ones, before touching any file' {
        $err = $null
        try { Set-IisFtpsSetting -SiteName 'x' -ConfigPath (Join-Path $TestDrive 'missing.config') -ControlChannelPolicy SslDeny } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'INVALID_VALUE,Set-IisFtpsSetting'
        $err.Exception.Message | Should -Match 'controlChannelPolicy'
        $err.Exception.Message | Should -Match 'SslDeny exists for dataChannelPolicy only'
        $err.Exception.Message | Should -Match 'Allowed: SslAllow \(0\), SslRequire \(1\), SslRequireCredentialsOnly \(2\)'
    }

    It 'refuses an unknown setting name in Reset -Setting, listing the settings' {
        $err = $null
        try { Reset-IisFtpsSetting -SiteDefaults -Setting 'revocationFreshness' -ConfigPath (Join-Path $TestDrive 'missing.config') } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'UNKNOWN_SETTING,Reset-IisFtpsSetting'
        $err.Exception.Message | Should -Match 'Did you mean revocationFreshnessTime'
        $err.Exception.Message | Should -Match ([regex]::Escape(($Schema.settings.name -join ', ')))
    }
}

Describe 'Through <_>' -ForEach @('ServerManager', 'NodeCli') {
    BeforeAll {
        $script:Kind = $_
        Use-Backend $Kind
        & (Get-Module $ModuleName) { param($c) Get-IisFtpsBackendKind -ConfigPath $c } '/x.config' | Should -Be $Kind
    }
    BeforeEach {
        Use-Backend $Kind
        $script:Config = New-TestConfig
        $script:Log = Join-Path $TestDrive ('cli-{0}.log' -f [guid]::NewGuid().ToString('n'))
        $env:IIS_FTPS_TEST_CLI_LOG = $Log
    }
    AfterEach { Remove-Item Env:IIS_FTPS_TEST_CLI_LOG -ErrorAction SilentlyContinue }

    It 'binds site names from objects by property name' {
        $r = @([pscustomobject]@{ Name = 'Partner Exchange' }, [pscustomobject]@{ SiteName = 'public drop' }) | Get-IisFtpsSetting -ConfigPath $Config
        $r.Count | Should -Be 2
        $r[0].PSObject.TypeNames[0] | Should -Be 'IisFtps.Setting'
        $r[0].SiteName | Should -Be 'Partner Exchange'
        $r[0].SiteId | Should -Be 3
        $r[0].ClientCertificatePolicy | Should -Be 'CertAllow'
        $r[0].Source.clientCertificatePolicy | Should -Be 'site'
        $r[0].RevocationFreshnessTime | Should -Be '01:00:00'
        $r[0].Source.revocationFreshnessTime | Should -Be 'siteDefaults'
        @($r[0].ValidationFlags) | Should -Be @('CertChainCacheOnlyUrlRetrieval')
        $r[0].UseActiveDirectoryMapping | Should -BeFalse
        $r[0].Source.useActiveDirectoryMapping | Should -Be 'default'
        $r[1].SiteName | Should -Be 'Public Drop'
        $r[1].SiteId | Should -Be 2
    }

    It 'binds plain strings and arrays, and reads siteDefaults' {
        $r = @('Partner Exchange', 'PUBLIC DROP') | Get-IisFtpsSetting -ConfigPath $Config
        @($r.SiteName) | Should -Be @('Partner Exchange', 'Public Drop')
        @((Get-IisFtpsSetting -SiteName 'Partner Exchange', 'Public Drop' -ConfigPath $Config).SiteId) | Should -Be @(3, 2)
        $d = Get-IisFtpsSetting -SiteDefaults -ConfigPath $Config
        $d.Level | Should -Be 'siteDefaults'
        $d.SiteName | Should -BeNullOrEmpty
        $d.Source.revocationFreshnessTime | Should -Be 'siteDefaults'
    }

    It 'reports a missing site as a non-terminating SITE_NOT_FOUND error and goes on' {
        $r = @('No Such Site', 'Public Drop') | Get-IisFtpsSetting -ConfigPath $Config -ErrorVariable errs -ErrorAction SilentlyContinue
        @($r).Count | Should -Be 1
        # -ErrorVariable also collects the exception on its way up; the cmdlet's own error is the last
        $own = @($errs | Where-Object { $_.FullyQualifiedErrorId -like '*,Get-IisFtpsSetting' })
        $own.Count | Should -Be 1
        $own[0].FullyQualifiedErrorId | Should -Be 'SITE_NOT_FOUND,Get-IisFtpsSetting'
        $own[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $own[0].Exception.Message | Should -Match 'Partner Exchange'
    }

    It '-WhatIf writes nothing (same bytes, same time) and shows old -> new' {
        $before = Get-FileState $Config
        $out = 'Partner Exchange', 'Public Drop' | Set-IisFtpsSetting -ConfigPath $Config -ClientCertificatePolicy CertRequire -WhatIf -Verbose 4>&1 6>&1
        $text = ($out | Out-String)
        $text | Should -Match 'clientCertificatePolicy: CertAllow -> CertRequire'
        $text | Should -Match 'clientCertificatePolicy: \(not set\) -> CertRequire'
        Get-FileState $Config | Should -BeLike $before
        (Get-FileState $Config).hash | Should -Be $before.hash
        (Get-FileState $Config).mtime | Should -Be $before.mtime
        Reset-IisFtpsSetting -SiteName 'Partner Exchange' -ConfigPath $Config -WhatIf
        (Get-FileState $Config).hash | Should -Be $before.hash
    }

    It 'commits every site of one pipeline in one write' {
        if ($Kind -eq 'ServerManager') {
            $global:IisFtpsTestChangeSet = & (Get-Module $ModuleName) { ${function:Invoke-IisFtpsChangeSet} }
            Mock -ModuleName $ModuleName Invoke-IisFtpsChangeSet { & $global:IisFtpsTestChangeSet -ChangeSet $ChangeSet -ConfigPath $ConfigPath }
        }
        'Partner Exchange', 'Public Drop', [pscustomobject]@{ Name = "O'Brien & Sons `"Archive`"" } | Set-IisFtpsSetting -ConfigPath $Config -RevocationUrlRetrievalTimeout '00:00:45' -UseActiveDirectoryMapping $true
        if ($Kind -eq 'ServerManager') {
            Should -Invoke -ModuleName $ModuleName Invoke-IisFtpsChangeSet -Times 1 -Exactly
        } else {
            $runs = @(Get-Content -LiteralPath $Log)
            $runs.Count | Should -BeGreaterThan 0
            $writes = @($runs | Where-Object { $_.StartsWith('["apply"') -and -not $_.Contains('"--what-if"') })
            $writes.Count | Should -Be 1
        }
        $r = 'Partner Exchange', 'Public Drop', "O'Brien & Sons `"Archive`"" | Get-IisFtpsSetting -ConfigPath $Config
        @($r.RevocationUrlRetrievalTimeout) | Should -Be @('00:00:45', '00:00:45', '00:00:45')
        @($r | ForEach-Object { $_.Source.useActiveDirectoryMapping }) | Should -Be @('site', 'site', 'site')
    }

    It 'writes none of the sites when one of them fails' {
        $before = Get-FileState $Config
        $err = $null
        try { 'Partner Exchange', 'No Such Site' | Set-IisFtpsSetting -ConfigPath $Config -ClientCertificatePolicy CertRequire -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'SITE_NOT_FOUND,Set-IisFtpsSetting'
        $err.Exception.Message | Should -Match 'No Such Site'
        (Get-FileState $Config).hash | Should -Be $before.hash
    }

    It 'changes nothing when the value is already set so at that level' {
        $before = Get-FileState $Config
        $verbose = Set-IisFtpsSetting -SiteName 'partner exchange' -ConfigPath $Config -ClientCertificatePolicy certallow -ValidationFlags 4 -Verbose 4>&1 | Out-String
        $verbose | Should -Match 'already so'
        (Get-FileState $Config).hash | Should -Be $before.hash
        (Get-FileState $Config).mtime | Should -Be $before.mtime
        # inherited from siteDefaults is not set at the site's level: that is a change
        Set-IisFtpsSetting -SiteName 'Partner Exchange' -ConfigPath $Config -RevocationFreshnessTime ([timespan]::FromHours(1))
        (Get-IisFtpsSetting -SiteName 'Partner Exchange' -ConfigPath $Config).Source.revocationFreshnessTime | Should -Be 'site'
    }

    It 'runs the reference scenario on a file end to end, with -PassThru, Test- and Reset-' {
        $r = Set-IisFtpsSetting -SiteName 'Public Drop' -ConfigPath $Config -ServerCertHash "`u{200E}57 68 6f 61 20 44 75 64 65 2c 20 49 49 53 20 52 6f 63 6b 73" `
            -ControlChannelPolicy SslRequire -DataChannelPolicy SslRequire -ClientCertificatePolicy CertRequire -UseActiveDirectoryMapping $true -ClientCertAuthentication $true -PassThru
        $r.ServerCertHash | Should -Be '57686f6120447564652c2049495320526f636b73'
        $r.ClientCertAuthentication | Should -BeTrue
        $r.Source.clientCertAuthentication | Should -Be 'site'
        $text = Get-Content -Raw -LiteralPath $Config
        $text | Should -Match 'serverCertHash="57686f6120447564652c2049495320526f636b73"'
        $text | Should -Match '<clientCertAuthentication enabled="true" />'
        @(Test-IisFtpsSetting -SiteName 'Public Drop' -ConfigPath $Config | Where-Object Severity -eq 'error') | Should -BeNullOrEmpty
        Test-IisFtpsSetting -SiteName 'Public Drop' -ConfigPath $Config -Quiet | Should -BeTrue

        Reset-IisFtpsSetting -SiteName 'Public Drop' -Setting UseActiveDirectoryMapping -ConfigPath $Config
        $f = @(Test-IisFtpsSetting -SiteName 'Public Drop' -ConfigPath $Config)
        $f[0].PSObject.TypeNames[0] | Should -Be 'IisFtps.Finding'
        $f.Rule | Should -Contain 'cca-needs-ad-mapping'
        ($f | Where-Object Rule -eq 'cca-needs-ad-mapping').Severity | Should -Be 'error'
        Test-IisFtpsSetting -SiteName 'Public Drop' -ConfigPath $Config -Quiet | Should -BeFalse

        Reset-IisFtpsSetting -SiteName 'Public Drop' -ConfigPath $Config
        $after = Get-IisFtpsSetting -SiteName 'Public Drop' -ConfigPath $Config
        @($after.Source.PSObject.Properties.Value | Where-Object { $_ -eq 'site' }) | Should -BeNullOrEmpty
    }

    It 'sets and resets siteDefaults' {
        Set-IisFtpsSetting -SiteDefaults -ConfigPath $Config -ValidationFlags CertChainCacheOnlyUrlRetrieval, certnousagecheck
        @((Get-IisFtpsSetting -SiteDefaults -ConfigPath $Config).ValidationFlags) | Should -Be @('CertChainCacheOnlyUrlRetrieval', 'CertNoUsageCheck')
        (Get-Content -Raw -LiteralPath $Config) | Should -Match 'validationFlags="CertChainCacheOnlyUrlRetrieval, CertNoUsageCheck"'
        (Get-IisFtpsSetting -SiteName 'Public Drop' -ConfigPath $Config).Source.validationFlags | Should -Be 'siteDefaults'
        Reset-IisFtpsSetting -SiteDefaults -Setting validationFlags -ConfigPath $Config
        (Get-IisFtpsSetting -SiteDefaults -ConfigPath $Config).Source.validationFlags | Should -Be 'default'
    }

    It 'keeps a hostile site name inert' {
        $canary = Join-Path $TestDrive 'canary.txt'
        Set-Content -LiteralPath $canary -Value 'alive'
        $before = Get-FileState $Config
        foreach ($name in @("x'; Remove-Item -LiteralPath '$canary' #", "x`"; Remove-Item -LiteralPath `"$canary`" #", '$(Remove-Item -LiteralPath ''' + $canary + ''')', '--json', '-x')) {
            $err = $null
            try { Set-IisFtpsSetting -SiteName $name -ConfigPath $Config -Ssl128 $true -ErrorAction Stop } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be 'SITE_NOT_FOUND,Set-IisFtpsSetting' -Because $name
            Get-IisFtpsSetting -SiteName $name -ConfigPath $Config -ErrorAction SilentlyContinue -ErrorVariable e2 | Should -BeNullOrEmpty
            $e2[-1].FullyQualifiedErrorId | Should -Be 'SITE_NOT_FOUND,Get-IisFtpsSetting'
        }
        Test-Path -LiteralPath $canary | Should -BeTrue
        (Get-FileState $Config).hash | Should -Be $before.hash
    }

    It 'turns an unreadable file into an error with its code' {
        $err = $null
        try { Get-IisFtpsSetting -SiteDefaults -ConfigPath (Join-Path $TestDrive 'missing.config') -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'FILE_READ,Get-IisFtpsSetting'
    }
}

Describe 'Both paths agree' {
    It 'reads and checks every site and siteDefaults the same through ServerManager and the Node CLI' {
        $config = New-TestConfig
        Set-IisFtpsSetting -SiteName 'Partner Exchange' -ConfigPath $config -ClientCertAuthentication $true -ValidationFlags NoRevocationCheck -ControlChannelPolicy SslAllow -ClientCertificatePolicy CertRequire
        $sites = @('Default Web Site', 'Public Drop', 'Partner Exchange', "O'Brien & Sons `"Archive`"")
        $results = @{}
        foreach ($kind in 'ServerManager', 'NodeCli') {
            Use-Backend $kind
            $results[$kind] = [pscustomobject]@{
                settings = @(Get-IisFtpsSetting -SiteName $sites -ConfigPath $config) + @(Get-IisFtpsSetting -SiteDefaults -ConfigPath $config)
                findings = @(Test-IisFtpsSetting -ConfigPath $config) + @(Test-IisFtpsSetting -SiteName $sites -ConfigPath $config)
            } | ConvertTo-Json -Depth 6
        }
        $results['NodeCli'] | Should -Be $results['ServerManager']
        $results['ServerManager'] | Should -Match 'no-revocation-check'
        $results['ServerManager'] | Should -Match 'cert-require-with-optional-tls'
    }
}
