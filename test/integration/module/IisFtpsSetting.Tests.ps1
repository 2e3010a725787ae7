# Pester tests of the class-based DSC resource IisFtpsSetting (module/IisFtps.psm1), run by
# dsc-resource.test.ts with the environment of the module suite (see IisFtps.Tests.ps1):
# instances are created in the module's scope and Get(), Test() and Set() called on copies of
# the fixture, through ServerManager (the test double) and through the Node CLI.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    # An instance of the resource, as DSC makes one: a new object with the properties set.
    function script:New-Resource([hashtable] $Properties) {
        $r = & (Get-Module $script:ModuleName) { [IisFtpsSetting]::new() }
        foreach ($k in $Properties.Keys) { $r.$k = $Properties[$k] }
        return $r
    }
}

Describe 'IisFtpsSetting is a DSC resource of the module' {
    It 'is listed in DscResourcesToExport and declared with [DscResource()] in the root module' {
        $data = Import-PowerShellDataFile -Path $Manifest
        @($data.DscResourcesToExport) | Should -Be @('IisFtpsSetting')
        $root = Join-Path $Repo $data.RootModule
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($root, [ref]$null, [ref]$null)
        $classes = @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.TypeDefinitionAst] }, $true))
        $class = @($classes | Where-Object Name -eq 'IisFtpsSetting')
        $class.Count | Should -Be 1
        @($class[0].Attributes.TypeName.Name) | Should -Contain 'DscResource'
        @($class[0].Members | Where-Object { $_ -is [System.Management.Automation.Language.FunctionMemberAst] } | ForEach-Object Name | Sort-Object) | Should -Be @('Get', 'Set', 'Test')
    }

    It 'has the target keys, ConfigPath, one property per setting named as the cmdlets name them, and Inherit' {
        $type = & (Get-Module $ModuleName) { [IisFtpsSetting] }
        $props = @($type.GetProperties() | Where-Object { $_.GetCustomAttributes($true) | Where-Object { $_ -is [System.Management.Automation.DscPropertyAttribute] } })
        @($props.Name) | Should -Be (@('Level', 'SiteName', 'ConfigPath') + @($Schema.settings.parameter) + @('Inherit'))
        $keys = @($props | Where-Object { ($_.GetCustomAttributes($true) | Where-Object { $_ -is [System.Management.Automation.DscPropertyAttribute] }).Key })
        @($keys.Name) | Should -Be @('Level', 'SiteName')
        # The cmdlets' parameters carry the same names.
        $set = (Get-Command Set-IisFtpsSetting).Parameters
        foreach ($p in $Schema.settings.parameter) { $set.ContainsKey($p) | Should -BeTrue -Because $p }
    }

    It 'adds no side effect to import (no assembly, process or file read until a method runs)' {
        $r = New-Resource @{ Level = 'Site'; SiteName = 'x' }
        & (Get-Module $ModuleName) { $null -eq $script:IisFtpsSchemaCache } | Should -BeTrue -Because 'making an instance reads nothing'
        $r.SiteName | Should -Be 'x'
    }
}

Describe 'IisFtpsSetting through <_>' -ForEach @('ServerManager', 'NodeCli') {
    BeforeAll {
        $script:Kind = $_
    }
    BeforeEach {
        Use-Backend $Kind
        $script:Config = New-TestConfig
        $script:Log = Join-Path $TestDrive ('cli-{0}.log' -f [guid]::NewGuid().ToString('n'))
        $env:IIS_FTPS_TEST_CLI_LOG = $Log
    }
    AfterEach { Remove-Item Env:IIS_FTPS_TEST_CLI_LOG -ErrorAction SilentlyContinue }

    It 'Get() returns what the site sets itself, $null and Inherit where it inherits' {
        $g = (New-Resource @{ Level = 'Site'; SiteName = 'partner exchange'; ConfigPath = $Config }).Get()
        $g.GetType().Name | Should -Be 'IisFtpsSetting'
        $g.Level | Should -Be 'Site'
        $g.SiteName | Should -Be 'partner exchange'
        $g.ClientCertificatePolicy | Should -Be 'CertAllow'
        @($g.ValidationFlags) | Should -Be @('CertChainCacheOnlyUrlRetrieval')
        $g.RevocationUrlRetrievalTimeout | Should -Be '00:00:30'
        $g.ServerCertHash | Should -Be '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432'
        # revocationFreshnessTime comes from siteDefaults: not set on the site.
        $g.RevocationFreshnessTime | Should -BeNullOrEmpty
        $g.UseActiveDirectoryMapping | Should -BeNullOrEmpty
        @($g.Inherit) | Should -Be @('RevocationFreshnessTime', 'UseActiveDirectoryMapping', 'ServerCertStoreName', 'Ssl128', 'ClientCertAuthentication')
    }

    It 'Get() of siteDefaults' {
        $g = (New-Resource @{ Level = 'SiteDefaults'; SiteName = 'siteDefaults'; ConfigPath = $Config }).Get()
        $g.RevocationFreshnessTime | Should -Be '01:00:00'
        @($g.Inherit).Count | Should -Be ($Schema.settings.Count - 1)
    }

    It 'Test() is false while a managed setting differs, and reads only' {
        $before = Get-FileState $Config
        $r = New-Resource @{ Level = 'Site'; SiteName = 'Partner Exchange'; ConfigPath = $Config; ClientCertificatePolicy = 'CertRequire'; RevocationUrlRetrievalTimeout = '00:00:30' }
        # As Invoke-DscResource -Verbose runs a resource (the module's functions see the global preference).
        $global:VerbosePreference = 'Continue'
        try { $verbose = @(& { $r.Test() } 4>&1) } finally { $global:VerbosePreference = 'SilentlyContinue' }
        $verbose[-1] | Should -BeFalse
        ($verbose | Out-String) | Should -Match 'clientCertificatePolicy is CertAllow, should be CertRequire'
        (Get-FileState $Config).hash | Should -Be $before.hash
        (New-Resource @{ Level = 'Site'; SiteName = 'Partner Exchange'; ConfigPath = $Config; ClientCertificatePolicy = 'CertAllow'; RevocationUrlRetrievalTimeout = '00:00:30' }).Test() | Should -BeTrue
    }

    It 'Test() counts a value only inherited as not so (Set() pins it at the level)' {
        $r = New-Resource @{ Level = 'Site'; SiteName = 'Partner Exchange'; ConfigPath = $Config; RevocationFreshnessTime = '01:00:00' }
        $r.Test() | Should -BeFalse
        $r.Set()
        $r.Test() | Should -BeTrue
        (Get-IisFtpsSetting -SiteName 'Partner Exchange' -ConfigPath $Config).Source.revocationFreshnessTime | Should -Be 'site'
    }

    It 'Set() makes Test() hold, in one commit, through the same engine as the cmdlets' {
        $r = New-Resource @{
            Level = 'Site'; SiteName = 'Public Drop'; ConfigPath = $Config
            ServerCertHash = '57 68 6f 61 20 44 75 64 65 2c 20 49 49 53 20 52 6f 63 6b 73'
            ControlChannelPolicy = 'SslRequire'; DataChannelPolicy = 'SslRequire'; ClientCertificatePolicy = 'certrequire'
            UseActiveDirectoryMapping = $true; ClientCertAuthentication = $true; ValidationFlags = @('CertNoUsageCheck', 'NoRevocationCheck')
        }
        $r.Test() | Should -BeFalse
        $global:VerbosePreference = 'Continue'
        try { $verbose = (& { $r.Set() } 4>&1 | Out-String) } finally { $global:VerbosePreference = 'SilentlyContinue' }
        $verbose | Should -Match 'clientCertificatePolicy: \(not set\) -> CertRequire'
        $r.Test() | Should -BeTrue
        $s = Get-IisFtpsSetting -SiteName 'Public Drop' -ConfigPath $Config
        $s.ServerCertHash | Should -Be '57686f6120447564652c2049495320526f636b73'
        $s.ClientCertAuthentication | Should -BeTrue
        @($s.ValidationFlags) | Should -Be @('NoRevocationCheck', 'CertNoUsageCheck')
        $s.Source.clientCertAuthentication | Should -Be 'site'
        (Get-Content -Raw -LiteralPath $Config) | Should -Match '<clientCertAuthentication enabled="true" />'
        if ($Kind -eq 'NodeCli') {
            @(Get-Content -LiteralPath $Log | Where-Object { $_.StartsWith('["apply"') -and -not $_.Contains('"--what-if"') }).Count | Should -Be 1
        }
    }

    It 'Set() is a no-op when Test() holds: nothing planned, nothing written' {
        $r = New-Resource @{ Level = 'Site'; SiteName = 'Partner Exchange'; ConfigPath = $Config; ClientCertificatePolicy = 'CertAllow'; ValidationFlags = @('CertChainCacheOnlyUrlRetrieval'); Inherit = @('Ssl128') }
        $before = Get-FileState $Config
        Mock -ModuleName $ModuleName Get-IisFtpsPlan { throw 'Set() planned a change although Test() holds' }
        Mock -ModuleName $ModuleName Invoke-IisFtpsCommit { throw 'Set() committed although Test() holds' }
        $r.Set()
        Should -Invoke -ModuleName $ModuleName Get-IisFtpsPlan -Times 0 -Exactly
        Should -Invoke -ModuleName $ModuleName Invoke-IisFtpsCommit -Times 0 -Exactly
        $after = Get-FileState $Config
        $after.hash | Should -Be $before.hash
        $after.mtime | Should -Be $before.mtime
    }

    It 'Inherit removes settings at the level, so they inherit again' {
        $r = New-Resource @{ Level = 'Site'; SiteName = 'Partner Exchange'; ConfigPath = $Config; Inherit = @('RevocationUrlRetrievalTimeout', 'validationFlags') }
        $r.Test() | Should -BeFalse
        $r.Set()
        $r.Test() | Should -BeTrue
        $s = Get-IisFtpsSetting -SiteName 'Partner Exchange' -ConfigPath $Config
        $s.Source.revocationUrlRetrievalTimeout | Should -Be 'default'
        $s.Source.validationFlags | Should -Be 'default'
        (Get-Content -Raw -LiteralPath $Config) | Should -Not -Match 'revocationUrlRetrievalTimeout='
    }

    It 'Set() on siteDefaults, which sites inherit' {
        $r = New-Resource @{ Level = 'SiteDefaults'; SiteName = 'siteDefaults'; ConfigPath = $Config; ValidationFlags = @('None'); Inherit = @('RevocationFreshnessTime') }
        $r.Set()
        $r.Test() | Should -BeTrue
        $d = Get-IisFtpsSetting -SiteDefaults -ConfigPath $Config
        $d.Source.validationFlags | Should -Be 'siteDefaults'
        @($d.ValidationFlags).Count | Should -Be 0
        $d.Source.revocationFreshnessTime | Should -Be 'default'
        (Get-IisFtpsSetting -SiteName 'Public Drop' -ConfigPath $Config).Source.validationFlags | Should -Be 'siteDefaults'
    }

    It 'refuses <name>, naming the problem, and writes nothing' -ForEach @(
        @{ name = 'a value its setting does not allow'; props = @{ Level = 'Site'; SiteName = 'Public Drop'; ControlChannelPolicy = 'SslDeny' }; code = 'INVALID_VALUE'; message = 'SslDeny exists for dataChannelPolicy only' }
        @{ name = 'an unknown setting in Inherit'; props = @{ Level = 'Site'; SiteName = 'Public Drop'; Inherit = @('revocationFreshness') }; code = 'UNKNOWN_SETTING'; message = 'Did you mean revocationFreshnessTime' }
        @{ name = 'a setting with a value and in Inherit'; props = @{ Level = 'Site'; SiteName = 'Public Drop'; Ssl128 = $true; Inherit = @('Ssl128') }; code = 'USAGE'; message = 'Ssl128 has a value and is named in Inherit' }
        @{ name = 'siteDefaults under another name'; props = @{ Level = 'SiteDefaults'; SiteName = 'Public Drop'; Ssl128 = $true }; code = 'USAGE'; message = "SiteName must be 'siteDefaults'" }
        @{ name = 'a site without a name'; props = @{ Level = 'Site'; SiteName = ''; Ssl128 = $true }; code = 'USAGE'; message = 'SiteName names the FTP site' }
        @{ name = 'a site that does not exist'; props = @{ Level = 'Site'; SiteName = 'No Such Site'; Ssl128 = $true }; code = 'SITE_NOT_FOUND'; message = 'No Such Site' }
    ) {
        $before = Get-FileState $Config
        $r = New-Resource ($props + @{ ConfigPath = $Config })
        foreach ($method in 'Test', 'Set') {
            $err = $null
            try { $null = $r.$method() } catch { $err = $_ }
            $err | Should -Not -BeNullOrEmpty -Because "$method() must fail"
            $info = & (Get-Module $ModuleName) { param($e) Get-IisFtpsErrorInfo $e } $err
            $info.code | Should -Be $code
            $info.message | Should -Match ([regex]::Escape($message))
        }
        (Get-FileState $Config).hash | Should -Be $before.hash
    }
}
