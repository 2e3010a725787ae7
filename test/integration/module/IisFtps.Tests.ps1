# Pester tests of the PowerShell module (Manifest.psd1, module/), run by module.test.ts with:
#   IIS_FTPS_TEST_FIXTURE  the fixture applicationHost.config (copied per test, never edited)
#   IIS_FTPS_TEST_MWA      the Microsoft.Web.Administration test double (the ServerManager path)
#   IIS_FTPS_CLI           cli-counter.mjs (the Node CLI path), NODE_OPTIONS with tsx's loader

BeforeAll {
    $script:Repo = (Resolve-Path (Join-Path $PSScriptRoot '../../..')).Path
    $script:Manifest = Join-Path $Repo 'Manifest.psd1'
    $script:Mwa = $env:IIS_FTPS_TEST_MWA
    Import-Module $Manifest -Force
    $script:ModuleName = (Get-Module -Name Manifest).Name
    $script:Schema = Get-Content -Raw (Join-Path $Repo 'module/Private/schema.json') | ConvertFrom-Json

    function script:New-TestConfig {
        $path = Join-Path $TestDrive ('{0}.config' -f [guid]::NewGuid().ToString('n'))
        Copy-Item -LiteralPath $env:IIS_FTPS_TEST_FIXTURE -Destination $path
        return $path
    }
    function script:Use-Backend([string] $Kind) {
        if ($Kind -eq 'ServerManager') { $env:IIS_FTPS_MWA_PATH = $script:Mwa } else { Remove-Item Env:IIS_FTPS_MWA_PATH -ErrorAction SilentlyContinue }
    }
    function script:Get-FileState([string] $Path) {
        $item = Get-Item -LiteralPath $Path
        return @{ hash = (Get-FileHash -LiteralPath $Path -Algorithm SHA256).Hash; mtime = $item.LastWriteTimeUtc.Ticks }
    }
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
        $own = @('SiteName', 'SiteDefaults', 'ConfigPath', 'PassThru')
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

    It 'implements every doctor rule of src/doctor, with the same severity' {
        $own = & (Get-Module $ModuleName) { @($script:IisFtpsDoctorRules | ForEach-Object { '{0}:{1}' -f $_.id, $_.severity }) }
        $own | Should -Be @($Schema.doctorRules | ForEach-Object { '{0}:{1}' -f $_.id, $_.severity })
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

Describe 'Certificate renewal through <_>' -ForEach @('ServerManager', 'NodeCli') {
    BeforeAll {
        $script:Kind = $_
        $script:Old = '1111111111111111111111111111111111111111'
        $script:New = 'ABCDEF0123456789ABCDEF0123456789ABCDEF01'
        $script:Third = '3333333333333333333333333333333333333333'
        function script:New-RenewalConfig {
            $path = Join-Path $TestDrive ('{0}.config' -f [guid]::NewGuid().ToString('n'))
            Copy-Item -LiteralPath $env:IIS_FTPS_TEST_RENEWAL -Destination $path
            return $path
        }
        # Results are read back through ServerManager (in-process, and independent of the path under test).
        function script:Get-Own([string] $Config, [string] $Site) {
            Use-Backend 'ServerManager'
            try {
                if ($Site) { $r = Get-IisFtpsSetting -SiteName $Site -ConfigPath $Config } else { $r = Get-IisFtpsSetting -SiteDefaults -ConfigPath $Config }
            } finally { Use-Backend $script:Kind }
            return @{ hash = $r.ServerCertHash; hashSource = $r.Source.serverCertHash; store = $r.ServerCertStoreName; storeSource = $r.Source.serverCertStoreName }
        }
    }
    BeforeEach {
        Use-Backend $Kind
        $script:Config = New-RenewalConfig
        $script:Log = Join-Path $TestDrive ('cli-{0}.log' -f [guid]::NewGuid().ToString('n'))
        $env:IIS_FTPS_TEST_CLI_LOG = $Log
    }
    AfterEach { Remove-Item Env:IIS_FTPS_TEST_CLI_LOG -ErrorAction SilentlyContinue }

    It 'replaces OLD in siteDefaults, the FTP-only and the mixed site (hash and store), leaves the third, lists it, one commit; a rerun writes nothing' {
        if ($Kind -eq 'ServerManager') {
            $global:IisFtpsTestChangeSet = & (Get-Module $ModuleName) { ${function:Invoke-IisFtpsChangeSet} }
            Mock -ModuleName $ModuleName Invoke-IisFtpsChangeSet { & $global:IisFtpsTestChangeSet -ChangeSet $ChangeSet -ConfigPath $ConfigPath }
        }
        $r = Update-IisFtpsCertificate -OldThumbprint ("`u{200E}" + ($Old -replace '(..)(?!$)', '$1 ')) -NewThumbprint $New.ToLowerInvariant() -StoreName WebHosting -ConfigPath $Config -WarningVariable warnings -WarningAction SilentlyContinue
        $r.PSObject.TypeNames[0] | Should -Be 'IisFtps.CertificateRotation'
        $r.Status | Should -Be 'rotated'
        $r.Written | Should -BeTrue
        $r.NewThumbprint | Should -Be $New
        @($r.Changed.Target) | Should -Be @('siteDefaults', 'site "ftp-only" (id 2)', 'site "Mixed Web and FTP" (id 3)')
        @($r.Unrelated.SiteName) | Should -Be @('Other Customer')
        @($r.Unrelated.ServerCertHash) | Should -Be @($Third)
        ($warnings | Out-String) | Should -Match 'site "Other Customer" \(id 4\) uses neither the old nor the new certificate'
        if ($Kind -eq 'ServerManager') { Should -Invoke -ModuleName $ModuleName Invoke-IisFtpsChangeSet -Times 1 -Exactly }
        else { @(Get-Content -LiteralPath $Log | Where-Object { $_.StartsWith('["rotate-cert"') -and -not $_.Contains('"--what-if"') }).Count | Should -Be 1 }
        foreach ($site in @('', 'ftp-only', 'Mixed Web and FTP')) {
            $o = Get-Own $Config $site
            $o.hash | Should -Be $New -Because $site
            $o.store | Should -Be 'WebHosting' -Because $site
            $o.hashSource | Should -Be $(if ($site) { 'site' } else { 'siteDefaults' })
        }
        (Get-Own $Config 'Other Customer').hash | Should -Be $Third
        (Get-Own $Config 'Inherits').hashSource | Should -Be 'siteDefaults'
        (Get-Content -Raw -LiteralPath $Config) | Should -Not -Match $Old

        $before = Get-FileState $Config
        $again = Update-IisFtpsCertificate -OldThumbprint $Old -NewThumbprint $New -StoreName webhosting -ConfigPath $Config -WarningAction SilentlyContinue -Verbose 4>&1
        $result = @($again | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })[0]
        $result.Status | Should -Be 'already'
        $result.Written | Should -BeFalse
        ($again | Out-String) | Should -Match 'already in place'
        (Get-FileState $Config).hash | Should -Be $before.hash
        (Get-FileState $Config).mtime | Should -Be $before.mtime
    }

    It 'binds -NewThumbprint from a Posh-ACME certificate object and from an X509Certificate2 in the pipeline' {
        $pa = [pscustomobject]@{ PSTypeName = 'PoshACME.PACertificate'; Subject = 'CN=ftp.example.net'; NotBefore = (Get-Date).AddDays(-1); NotAfter = (Get-Date).AddDays(89); KeyLength = '2048'; Thumbprint = $New; AllSANs = @('ftp.example.net'); CertFile = 'cert.cer' }
        ($pa | Update-IisFtpsCertificate -OldThumbprint $Old -ConfigPath $Config -WarningAction SilentlyContinue).Status | Should -Be 'rotated'
        (Get-Own $Config 'ftp-only').hash | Should -Be $New
        $x509 = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2 -ArgumentList $env:IIS_FTPS_TEST_CERT_PEM
        $r = $x509 | Update-IisFtpsCertificate -OldThumbprint $New -ConfigPath $Config -WarningAction SilentlyContinue
        $r.NewThumbprint | Should -Be $x509.Thumbprint.ToUpperInvariant()
        (Get-Own $Config 'Mixed Web and FTP').hash | Should -Be $x509.Thumbprint.ToUpperInvariant()
    }

    It '-WhatIf writes nothing and says what would change' {
        $before = Get-FileState $Config
        $r = Update-IisFtpsCertificate -OldThumbprint $Old -NewThumbprint $New -ConfigPath $Config -WhatIf -WarningAction SilentlyContinue
        $r.Status | Should -Be 'what-if'
        @($r.Changes).Count | Should -Be 5
        (Get-FileState $Config).hash | Should -Be $before.hash
        (Get-FileState $Config).mtime | Should -Be $before.mtime
    }

    It 'stops with OLD_CERTIFICATE_NOT_FOUND, writing nothing, when OLD is bound nowhere; with an unknown -AlsoSite, SITE_NOT_FOUND' {
        $before = Get-FileState $Config
        $err = $null
        try { Update-IisFtpsCertificate -OldThumbprint ('2' * 40) -NewThumbprint $New -ConfigPath $Config -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'OLD_CERTIFICATE_NOT_FOUND,Update-IisFtpsCertificate'
        $err = $null
        try { Update-IisFtpsCertificate -OldThumbprint $Old -NewThumbprint $New -AlsoSite 'No Such Site' -ConfigPath $Config -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'SITE_NOT_FOUND,Update-IisFtpsCertificate'
        $err = $null
        try { Update-IisFtpsCertificate -OldThumbprint 'abc' -NewThumbprint $New -ConfigPath $Config -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'INVALID_VALUE,Update-IisFtpsCertificate'
        (Get-FileState $Config).hash | Should -Be $before.hash
    }

    It 'binds -AlsoSite sites in the same commit' {
        $r = Update-IisFtpsCertificate -OldThumbprint $Old -NewThumbprint $New -AlsoSite 'other customer' -ConfigPath $Config -WarningAction SilentlyContinue
        @($r.Changed | Where-Object Reason -eq 'also-site').SiteName | Should -Be 'Other Customer'
        @($r.Unrelated).Count | Should -Be 0
        (Get-Own $Config 'Other Customer').hash | Should -Be $New
    }
}

Describe 'Certificate checks on live IIS (ServerManager path, the store a test double)' {
    BeforeAll {
        $script:Old = '1111111111111111111111111111111111111111'
        $script:Cases = Get-Content -Raw -LiteralPath $env:IIS_FTPS_TEST_JUDGE_CASES | ConvertFrom-Json
    }
    BeforeEach {
        Use-Backend 'ServerManager'
        $script:Config = Join-Path $TestDrive ('{0}.config' -f [guid]::NewGuid().ToString('n'))
        Copy-Item -LiteralPath $env:IIS_FTPS_TEST_RENEWAL -Destination $Config
        # As on live IIS, where the machine's store is consulted (Cert:\LocalMachine on Windows); each test puts the certificate there.
        Mock -ModuleName $ModuleName Test-IisFtpsCertificateStoreVisible { $true }
    }

    It 'judges every case as src/certificates/judge.ts does: the same codes and words (<name>)' -ForEach @(Get-Content -Raw -LiteralPath $env:IIS_FTPS_TEST_JUDGE_CASES | ConvertFrom-Json | ForEach-Object { @{ name = $_.name; case = $_ } }) {
        $got = @(& (Get-Module $ModuleName) { param($f) Get-IisFtpsCertificateProblem -Certificate $f } $case.facts)
        @($got | ForEach-Object { '{0}: {1}' -f $_.code, $_.message }) | Should -Be @($case.problems | ForEach-Object { '{0}: {1}' -f $_.code, $_.message })
    }

    It 'refuses the new certificate with the code of its problem and writes nothing; -Force binds it with a warning' -ForEach @(
        @{ name = 'keyless'; code = 'CERTIFICATE_NO_PRIVATE_KEY' }, @{ name = 'expired'; code = 'CERTIFICATE_EXPIRED' },
        @{ name = 'not yet valid'; code = 'CERTIFICATE_NOT_YET_VALID' }, @{ name = 'client only'; code = 'CERTIFICATE_NOT_FOR_SERVER_AUTH' }
    ) {
        $global:IisFtpsTestCertificate = ($Cases | Where-Object name -eq $name).facts
        Mock -ModuleName $ModuleName Get-IisFtpsStoreCertificate { $global:IisFtpsTestCertificate }
        $before = Get-FileState $Config
        $err = $null
        try { Update-IisFtpsCertificate -OldThumbprint $Old -NewThumbprint $global:IisFtpsTestCertificate.thumbprint -ConfigPath $Config -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be "$code,Update-IisFtpsCertificate"
        $err.Exception.Message | Should -Match '-Force'
        (Get-FileState $Config).hash | Should -Be $before.hash
        $r = Update-IisFtpsCertificate -OldThumbprint $Old -NewThumbprint $global:IisFtpsTestCertificate.thumbprint -ConfigPath $Config -Force -WarningVariable w -WarningAction SilentlyContinue
        $r.Status | Should -Be 'rotated'
        ($w | Out-String) | Should -Match ([regex]::Escape($code))
    }

    It 'takes the store the certificate is found in; refuses one that is not there with CERTIFICATE_NOT_FOUND' {
        $global:IisFtpsTestCertificate = ($Cases | Where-Object name -eq 'keyless').facts | Select-Object *
        $global:IisFtpsTestCertificate.hasPrivateKey = $true
        Mock -ModuleName $ModuleName Get-IisFtpsStoreCertificate { $global:IisFtpsTestCertificate }
        $r = Update-IisFtpsCertificate -OldThumbprint $Old -NewThumbprint $global:IisFtpsTestCertificate.thumbprint -ConfigPath $Config -WarningAction SilentlyContinue
        $r.StoreName | Should -Be 'WebHosting'
        (Get-IisFtpsSetting -SiteDefaults -ConfigPath $Config).ServerCertStoreName | Should -Be 'WebHosting'
        Mock -ModuleName $ModuleName Get-IisFtpsStoreCertificate { $null }
        $err = $null
        try { Update-IisFtpsCertificate -OldThumbprint $global:IisFtpsTestCertificate.thumbprint -NewThumbprint ('4' * 40) -ConfigPath $Config -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'CERTIFICATE_NOT_FOUND,Update-IisFtpsCertificate'
    }

    It 'Test-IisFtpsSetting reports the bound certificate as the store has it' {
        $global:IisFtpsTestCertificate = ($Cases | Where-Object name -eq 'expired').facts
        Set-IisFtpsSetting -SiteName 'ftp-only' -ServerCertHash $global:IisFtpsTestCertificate.thumbprint -ConfigPath $Config
        Mock -ModuleName $ModuleName Get-IisFtpsStoreCertificate { if ($Thumbprint -eq $global:IisFtpsTestCertificate.thumbprint) { $global:IisFtpsTestCertificate } else { $null } }
        $f = @(Test-IisFtpsSetting -SiteName 'ftp-only', 'Other Customer' -ConfigPath $Config)
        ($f | Where-Object SiteName -eq 'ftp-only').Rule | Should -Be 'server-certificate-unusable'
        ($f | Where-Object SiteName -eq 'ftp-only').Message | Should -Match 'CERTIFICATE_EXPIRED'
        ($f | Where-Object SiteName -eq 'Other Customer').Rule | Should -Be 'server-certificate-not-in-store'
    }
}

Describe 'Recipes of docs/certificate-renewal.md' {
    BeforeAll {
        $script:Recipes = Join-Path $Repo 'docs/recipes'
        $script:Old = '1111111111111111111111111111111111111111'
        $script:New = 'ABCDEF0123456789ABCDEF0123456789ABCDEF01'
        function script:New-RenewalConfig {
            $path = Join-Path $TestDrive ('{0}.config' -f [guid]::NewGuid().ToString('n'))
            Copy-Item -LiteralPath $env:IIS_FTPS_TEST_RENEWAL -Destination $path
            return $path
        }
    }
    # The module's ServerManager path (in-process); the scheduled task's recipe runs the Node CLI itself.
    BeforeEach { Use-Backend 'ServerManager' }

    It 'win-acme: the script step with {CertThumbprint} {OldCertThumbprint} {StorePath} exits 0, again 0 without a change, 1 when OLD is bound nowhere' {
        $config = New-RenewalConfig
        $out = & (Join-Path $Recipes 'win-acme-ftps.ps1') $New $Old 'WebHosting' -ConfigPath $config 3>$null
        $LASTEXITCODE | Should -Be 0
        ($out | Out-String) | Should -Match 'FTP certificate rotated: 3 level\(s\) changed, written: True'
        (Get-IisFtpsSetting -SiteDefaults -ConfigPath $config).ServerCertStoreName | Should -Be 'WebHosting'
        $before = Get-FileState $config
        $out = & (Join-Path $Recipes 'win-acme-ftps.ps1') $New $Old 'WebHosting' -ConfigPath $config 3>$null
        $LASTEXITCODE | Should -Be 0
        ($out | Out-String) | Should -Match 'FTP certificate already: 0 level\(s\) changed, written: False'
        (Get-FileState $config).hash | Should -Be $before.hash
        & (Join-Path $Recipes 'win-acme-ftps.ps1') ('4' * 40) ('2' * 40) 'My' -ConfigPath $config 3>$null 2>$null
        $LASTEXITCODE | Should -Be 1
        (Get-FileState $config).hash | Should -Be $before.hash
    }

    It 'win-acme: at the first issuance (no {OldCertThumbprint}) binds the sites named, and fails clearly without any' {
        $config = New-RenewalConfig
        & (Join-Path $Recipes 'win-acme-ftps.ps1') $New '' 'My' 'Other Customer, Inherits' -ConfigPath $config 3>$null
        $LASTEXITCODE | Should -Be 0
        (Get-IisFtpsSetting -SiteName 'Inherits' -ConfigPath $config).ServerCertHash | Should -Be $New
        (Get-IisFtpsSetting -SiteDefaults -ConfigPath $config).ServerCertHash | Should -Be $Old
        # As win-acme runs it: a process of its own, the reason on its stderr.
        $command = "Import-Module '{0}'; & '{1}' '{2}' '' 'My' -ConfigPath '{3}'; exit `$LASTEXITCODE" -f $Manifest, (Join-Path $Recipes 'win-acme-ftps.ps1'), $New, $config
        $err = & (Join-Path $PSHOME 'pwsh') -NoProfile -NonInteractive -Command $command 2>&1
        $LASTEXITCODE | Should -Be 1
        ($err | Out-String) | Should -Match 'FTP certificate not updated: Name the certificate being replaced .*USAGE'
    }

    It 'Posh-ACME: the renewed certificate object pipes into Update-IisFtpsCertificate; not due, nothing changes' {
        $config = New-RenewalConfig
        # Test doubles of Posh-ACME's commands, returning objects shaped as its PACertificate.
        $global:IisFtpsTestPa = @{ current = $Old; due = $true; installed = @() }
        function global:Get-PACertificate { param([string] $MainDomain) [pscustomobject]@{ PSTypeName = 'PoshACME.PACertificate'; Subject = "CN=$MainDomain"; Thumbprint = $global:IisFtpsTestPa.current; AllSANs = @($MainDomain) } }
        function global:Submit-Renewal {
            param([string] $MainDomain)
            if (-not $global:IisFtpsTestPa.due) { return }
            $global:IisFtpsTestPa.current = 'ABCDEF0123456789ABCDEF0123456789ABCDEF01'
            [pscustomobject]@{ PSTypeName = 'PoshACME.PACertificate'; Subject = "CN=$MainDomain"; NotBefore = (Get-Date); NotAfter = (Get-Date).AddDays(90); Thumbprint = $global:IisFtpsTestPa.current; AllSANs = @($MainDomain); PfxFile = 'cert.pfx' }
        }
        function global:Install-PACertificate { param([Parameter(ValueFromPipeline)] $PACertificate, [string] $StoreLocation, [string] $StoreName) process { $global:IisFtpsTestPa.installed += , @($PACertificate.Thumbprint, $StoreLocation, $StoreName) } }
        try {
            $r = & (Join-Path $Recipes 'posh-acme-ftps.ps1') -MainDomain 'ftp.example.net' -StoreName 'WebHosting' -ConfigPath $config 3>$null
            $r.Status | Should -Be 'rotated'
            $r.NewThumbprint | Should -Be $New
            @($global:IisFtpsTestPa.installed[0]) | Should -Be @($New, 'LocalMachine', 'WebHosting')
            foreach ($site in 'ftp-only', 'Mixed Web and FTP') { (Get-IisFtpsSetting -SiteName $site -ConfigPath $config).ServerCertHash | Should -Be $New }
            $before = Get-FileState $config
            $global:IisFtpsTestPa.due = $false
            (& (Join-Path $Recipes 'posh-acme-ftps.ps1') -MainDomain 'ftp.example.net' -ConfigPath $config | Out-String) | Should -Match 'not due'
            (Get-FileState $config).hash | Should -Be $before.hash
        } finally {
            Remove-Item Function:\Get-PACertificate, Function:\Submit-Renewal, Function:\Install-PACertificate -ErrorAction SilentlyContinue
        }
    }

    It 'a scheduled task running the CLI: moves to the certificate in the file once, then writes nothing; a refused certificate exits non-zero' {
        $config = New-RenewalConfig
        $state = Join-Path $TestDrive ('state-{0}.txt' -f [guid]::NewGuid().ToString('n'))
        Set-Content -LiteralPath $state -Value $Old
        $cli = @((Get-Command node -CommandType Application)[0].Source, $env:IIS_FTPS_CLI)
        $x509 = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2 -ArgumentList $env:IIS_FTPS_TEST_CERT_PEM
        $out = & (Join-Path $Recipes 'scheduled-task-ftps.ps1') -CertificateFile $env:IIS_FTPS_TEST_CERT_PEM -StateFile $state -ConfigPath $config -Cli $cli
        $LASTEXITCODE | Should -Be 0
        ($out | Out-String) | Should -Match 'rotated'
        (Get-Content -Raw -LiteralPath $state).Trim() | Should -Be $x509.Thumbprint.ToUpperInvariant()
        (Get-IisFtpsSetting -SiteName 'ftp-only' -ConfigPath $config).ServerCertHash | Should -Be $x509.Thumbprint.ToUpperInvariant()
        $before = Get-FileState $config
        $out = & (Join-Path $Recipes 'scheduled-task-ftps.ps1') -CertificateFile $env:IIS_FTPS_TEST_CERT_PEM -StateFile $state -ConfigPath $config -Cli $cli
        $LASTEXITCODE | Should -Be 0
        ($out | Out-String) | Should -Match 'already'
        (Get-FileState $config).hash | Should -Be $before.hash
        $expired = (Get-Content -Raw -LiteralPath $env:IIS_FTPS_TEST_JUDGE_CASES | ConvertFrom-Json | Where-Object name -eq 'expired').file
        & (Join-Path $Recipes 'scheduled-task-ftps.ps1') -CertificateFile $expired -StateFile $state -ConfigPath $config -Cli $cli 2>$null
        $LASTEXITCODE | Should -Be 1
        (Get-FileState $config).hash | Should -Be $before.hash
        (Get-Content -Raw -LiteralPath $state).Trim() | Should -Be $x509.Thumbprint.ToUpperInvariant()
    }
}
