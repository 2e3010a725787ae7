# Pester tests of the PowerShell module as it is shipped: the folder IisFtps/ that
# scripts/build-module.mjs builds, imported, published and installed as users do. Run by
# package.test.ts with:
#   IIS_FTPS_TEST_BUILT        the built module folder (.../IisFtps)
#   IIS_FTPS_TEST_EXAMPLE      examples/applicationHost.config (copied per test, never edited)
#   IIS_FTPS_TEST_MWA          the Microsoft.Web.Administration test double (the ServerManager path)
#   IIS_FTPS_TEST_CLI_SCRIPT   cli-counter.mjs (the Node CLI), NODE_OPTIONS with tsx's loader
# Each import happens in a fresh pwsh, with the environment (PATH, HOME, ...) the test gives it.

BeforeDiscovery {
    $script:PublicCmdlets = @(Get-ChildItem -LiteralPath (Join-Path $PSScriptRoot '../../../module/Public') -Filter '*.ps1' | ForEach-Object BaseName | Sort-Object)
}

BeforeAll {
    $script:Repo = (Resolve-Path (Join-Path $PSScriptRoot '../../..')).Path
    $script:Built = $env:IIS_FTPS_TEST_BUILT
    $script:Pwsh = Join-Path $PSHOME $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })
    $script:Public = @(Get-ChildItem -LiteralPath (Join-Path $Repo 'module/Public') -Filter '*.ps1' | ForEach-Object BaseName | Sort-Object)
    $script:Sep = [System.IO.Path]::PathSeparator

    function script:New-ExampleCopy {
        $path = Join-Path $TestDrive ('{0}.config' -f [guid]::NewGuid().ToString('n'))
        Copy-Item -LiteralPath $env:IIS_FTPS_TEST_EXAMPLE -Destination $path
        return $path
    }

    # A copy of the built folder far from the repository, so nothing can be found relative to it.
    function script:Copy-BuiltModule([string] $Into) {
        New-Item -ItemType Directory -Force -Path $Into | Out-Null
        Copy-Item -LiteralPath $Built -Destination $Into -Recurse
        return (Join-Path $Into 'IisFtps')
    }

    # A folder holding nothing: a PATH on which neither node nor iis-ftps can be found.
    function script:New-EmptyFolder {
        $dir = Join-Path $TestDrive ('empty-{0}' -f [guid]::NewGuid().ToString('n'))
        New-Item -ItemType Directory -Path $dir | Out-Null
        return $dir
    }

    # Runs $Script in a fresh pwsh with $Environment applied (a $null value removes a variable) and
    # returns the JSON object its last output line holds. The script reports errors as
    # @{ error; id } itself (see $Prelude).
    $script:Prelude = @'
$ErrorActionPreference = 'Stop'
function Out-Answer($Value) { $Value | ConvertTo-Json -Depth 6 -Compress }
trap { Out-Answer ([pscustomobject]@{ error = $_.Exception.Message; id = $_.FullyQualifiedErrorId }); exit 0 }
'@
    function script:Invoke-Child([string] $Script, [hashtable] $Environment = @{}) {
        $saved = @{}
        foreach ($k in $Environment.Keys) {
            $saved[$k] = [Environment]::GetEnvironmentVariable($k)
            [Environment]::SetEnvironmentVariable($k, $Environment[$k])
        }
        try {
            $out = @(& $Pwsh -NoProfile -NonInteractive -Command ($Prelude + "`n" + $Script) 2>&1)
        } finally {
            foreach ($k in $saved.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) }
        }
        $last = @($out | ForEach-Object { "$_" } | Where-Object { $_.TrimStart().StartsWith('{') -or $_.TrimStart().StartsWith('[') }) | Select-Object -Last 1
        if (-not $last) { throw ("the child pwsh gave no answer:`n" + ($out -join "`n")) }
        return ($last | ConvertFrom-Json)
    }
}

Describe 'The built module folder' {
    It 'is a folder named IisFtps with IisFtps.psd1 made from Manifest.psd1' {
        Split-Path -Leaf $Built | Should -Be 'IisFtps'
        $builtData = Import-PowerShellDataFile -Path (Join-Path $Built 'IisFtps.psd1')
        $sourceData = Import-PowerShellDataFile -Path (Join-Path $Repo 'Manifest.psd1')
        @($builtData.Keys | Sort-Object) | Should -Be @($sourceData.Keys | Sort-Object)
        foreach ($key in $sourceData.Keys | Where-Object { $_ -ne 'FunctionsToExport' }) {
            ($builtData[$key] | ConvertTo-Json -Depth 5 -Compress) | Should -Be ($sourceData[$key] | ConvertTo-Json -Depth 5 -Compress) -Because "$key comes from Manifest.psd1"
        }
        @($builtData.FunctionsToExport) | Should -Be $Public
        Test-Path -LiteralPath (Join-Path $Built 'Manifest.psd1') | Should -BeFalse
        $m = Test-ModuleManifest -Path (Join-Path $Built 'IisFtps.psd1') -ErrorAction Stop
        $m.Name | Should -Be 'IisFtps'
    }

    It 'exports from the source manifest exactly the cmdlets of module/Public' {
        $sourceData = Import-PowerShellDataFile -Path (Join-Path $Repo 'Manifest.psd1')
        @($sourceData.FunctionsToExport | Sort-Object) | Should -Be $Public
    }

    It 'has one version with the npm package' {
        $npm = (Get-Content -Raw (Join-Path $Repo 'package.json') | ConvertFrom-Json).version
        (Import-PowerShellDataFile -Path (Join-Path $Repo 'Manifest.psd1')).ModuleVersion | Should -Be $npm
        (Import-PowerShellDataFile -Path (Join-Path $Built 'IisFtps.psd1')).ModuleVersion | Should -Be $npm
    }

    It 'imports from its folder as the module IisFtps, exporting exactly the public cmdlets, every file from inside the folder' {
        $module = Copy-BuiltModule (Join-Path $TestDrive 'far/away')
        $config = New-ExampleCopy
        $r = Invoke-Child -Environment @{ T_MODULE = $module; T_CONFIG = $config; IIS_FTPS_MWA_PATH = $env:IIS_FTPS_TEST_MWA } -Script @'
$m = Import-Module $env:T_MODULE -PassThru
$s = Get-IisFtpsSetting -SiteName 'Public Drop' -ConfigPath $env:T_CONFIG
$files = @(& $m { Get-ChildItem function: | Where-Object { $_.ScriptBlock.Module -and $_.ScriptBlock.Module.Name -eq 'IisFtps' } | ForEach-Object { $_.ScriptBlock.File } } | Sort-Object -Unique)
Out-Answer ([pscustomobject]@{
    name = $m.Name; base = $m.ModuleBase; modules = @(Get-Module | ForEach-Object Name)
    commands = @(Get-Command -Module IisFtps | ForEach-Object Name | Sort-Object)
    files = $files; siteId = $s.SiteId
})
'@
        $r.PSObject.Properties.Name | Should -Not -Contain 'error' -Because "$($r.error)"
        $r.name | Should -Be 'IisFtps'
        $r.base | Should -Be $module
        @($r.modules) | Should -Not -Contain 'Manifest'
        @($r.commands) | Should -Be $Public
        $r.siteId | Should -Be 2
        @($r.files).Count | Should -BeGreaterThan 5
        foreach ($f in $r.files) { $f | Should -BeLike ($module + [System.IO.Path]::DirectorySeparatorChar + '*') }
    }

    It 'imports by name from a PSModulePath entry' {
        $modules = Join-Path $TestDrive 'modules'
        Copy-BuiltModule $modules | Out-Null
        $r = Invoke-Child -Environment @{ PSModulePath = $modules + $Sep + $env:PSModulePath } -Script @'
$available = @(Get-Module -ListAvailable -Name IisFtps)
Import-Module IisFtps
Out-Answer ([pscustomobject]@{ available = $available.Count; name = (Get-Module IisFtps).Name; base = (Get-Module IisFtps).ModuleBase; commands = @(Get-Command -Module IisFtps | ForEach-Object Name | Sort-Object) })
'@
        $r.PSObject.Properties.Name | Should -Not -Contain 'error' -Because "$($r.error)"
        $r.available | Should -Be 1
        $r.name | Should -Be 'IisFtps'
        $r.base | Should -Be (Join-Path $modules 'IisFtps')
        @($r.commands) | Should -Be $Public
    }
}

Describe 'Help of the built module' {
    BeforeAll {
        # One fresh pwsh reads every page: about_IisFtps and each public cmdlet's -Full help.
        $script:Help = Invoke-Child -Environment @{ T_MODULE = $Built } -Script @'
Import-Module $env:T_MODULE
$common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
$cmdlets = [ordered]@{}
foreach ($name in @(Get-Command -Module IisFtps | ForEach-Object Name)) {
    $help = Get-Help -Name $name -Full
    $params = @((Get-Command $name).Parameters.Keys | Where-Object { $common -notcontains $_ })
    $cmdlets[$name] = [pscustomobject]@{
        synopsis = [string]$help.Synopsis
        examples = @($help.examples.example).Count
        parameters = @($params | ForEach-Object { $p = $_; [pscustomobject]@{ name = $p; description = (@($help.parameters.parameter | Where-Object name -eq $p)[0].description | Out-String).Trim() } })
    }
}
Out-Answer ([pscustomobject]@{ about = (Get-Help about_IisFtps | Out-String); cmdlets = [pscustomobject]$cmdlets })
'@
    }

    It 'explains the module in one page: Get-Help about_IisFtps' {
        $Help.PSObject.Properties.Name | Should -Not -Contain 'error' -Because "$($Help.error)"
        $text = $Help.about
        $text | Should -Match 'about_IisFtps'
        $lines = @($text.TrimEnd() -split "`r?`n")
        $lines.Count | Should -BeLessOrEqual 160 -Because 'about_IisFtps is one page'
        @($lines | Where-Object { $_.Length -gt 80 }) | Should -BeNullOrEmpty
        foreach ($cmdlet in $Public) { $text | Should -Match ([regex]::Escape($cmdlet)) -Because "about_IisFtps names every public cmdlet" }
        foreach ($topic in 'ServerManager', '-ConfigPath', 'iis-ftps', 'pipeline', 'CommitChanges', '-WhatIf', '-Confirm', 'EXAMPLES', 'siteDefaults') {
            $text | Should -Match ([regex]::Escape($topic)) -Because "about_IisFtps explains $topic"
        }
    }

    It 'describes every parameter of <_> in Get-Help -Full' -ForEach $PublicCmdlets {
        $r = $Help.cmdlets.$_
        $r | Should -Not -BeNullOrEmpty -Because "$_ is exported"
        $r.synopsis | Should -Not -BeNullOrEmpty
        $r.synopsis | Should -Not -Match ('^\s*' + $_ + '\s*\[') -Because 'the synopsis is written, not generated from the syntax'
        $r.examples | Should -BeGreaterOrEqual 1
        @($r.parameters).Count | Should -BeGreaterThan 0
        foreach ($p in $r.parameters) { $p.description | Should -Not -BeNullOrEmpty -Because "-$($p.name) of $_ needs a description" }
    }
}

Describe 'Where the built module finds Node' {
    BeforeAll {
        # A stand-in for the iis-ftps command that 'npm install --global iis-ftps' puts on PATH.
        $script:Bin = Join-Path $TestDrive 'bin'
        New-Item -ItemType Directory -Force -Path $Bin | Out-Null
        $shim = Join-Path $Bin 'iis-ftps'
        Set-Content -LiteralPath $shim -Value "#!/bin/sh`nexec node `"`$IIS_FTPS_TEST_CLI_SCRIPT`" `"`$@`"`n" -NoNewline
        & chmod +x $shim
        $script:NodeDir = Split-Path -Parent (Get-Command node -CommandType Application | Select-Object -First 1).Source
        $script:NoMwa = @{ IIS_FTPS_MWA_PATH = $null; IIS_FTPS_CLI = $null }
    }

    It 'runs -ConfigPath through the iis-ftps command on PATH' {
        $config = New-ExampleCopy
        $envs = $NoMwa + @{ T_MODULE = $Built; T_CONFIG = $config; PATH = $Bin + $Sep + $NodeDir }
        $r = Invoke-Child -Environment $envs -Script @'
Import-Module $env:T_MODULE
$s = Get-IisFtpsSetting -SiteName 'Partner Exchange' -ConfigPath $env:T_CONFIG
Out-Answer ([pscustomobject]@{ kind = (& (Get-Module IisFtps) { Get-IisFtpsBackendKind -ConfigPath 'x' }); cli = (Get-Command iis-ftps).Source; siteId = $s.SiteId; policy = $s.ClientCertificatePolicy })
'@
        $r.PSObject.Properties.Name | Should -Not -Contain 'error' -Because "$($r.error)"
        $r.kind | Should -Be 'NodeCli'
        $r.cli | Should -Be (Join-Path $Bin 'iis-ftps')
        $r.siteId | Should -Be 3
        $r.policy | Should -Be 'CertAllow'
    }

    It 'runs -ConfigPath through the CLI that IIS_FTPS_CLI names, with no iis-ftps on PATH' {
        $config = New-ExampleCopy
        $envs = $NoMwa + @{ T_MODULE = $Built; T_CONFIG = $config; PATH = $NodeDir }
        $envs.IIS_FTPS_CLI = $env:IIS_FTPS_TEST_CLI_SCRIPT
        $r = Invoke-Child -Environment $envs -Script @'
Import-Module $env:T_MODULE
Set-IisFtpsSetting -SiteName 'Public Drop' -ConfigPath $env:T_CONFIG -ClientCertificatePolicy CertRequire
Out-Answer ([pscustomobject]@{ onPath = [bool](Get-Command iis-ftps -ErrorAction SilentlyContinue); policy = (Get-IisFtpsSetting -SiteName 'Public Drop' -ConfigPath $env:T_CONFIG).ClientCertificatePolicy })
'@
        $r.PSObject.Properties.Name | Should -Not -Contain 'error' -Because "$($r.error)"
        $r.onPath | Should -BeFalse
        $r.policy | Should -Be 'CertRequire'
        (Get-Content -Raw -LiteralPath $config) | Should -Match 'clientCertificatePolicy="CertRequire"'
    }

    It 'says what to install, in one sentence, when the Node CLI is not there' {
        $config = New-ExampleCopy
        $before = (Get-FileHash -LiteralPath $config).Hash
        $r = Invoke-Child -Environment ($NoMwa + @{ T_MODULE = $Built; T_CONFIG = $config; PATH = (New-EmptyFolder) }) -Script @'
Import-Module $env:T_MODULE
Get-IisFtpsSetting -SiteDefaults -ConfigPath $env:T_CONFIG
Out-Answer ([pscustomobject]@{ unexpected = 'no error' })
'@
        $r.id | Should -Be 'BACKEND_UNAVAILABLE,Get-IisFtpsSetting'
        $r.error | Should -Be "-ConfigPath needs the iis-ftps command on this system, and it is not on PATH: install Node.js 20.19 or later, then run 'npm install --global iis-ftps' (or set IIS_FTPS_CLI to the path of its dist/cli/bin.cjs)."
        @($r.error -split '(?<=[.!?])\s+') | Should -HaveCount 1 -Because 'the message is one sentence'
        (Get-FileHash -LiteralPath $config).Hash | Should -Be $before
    }

    It 'says to install Node, in one sentence, when IIS_FTPS_CLI is set and node is not on PATH' {
        $envs = $NoMwa + @{ T_MODULE = $Built; T_CONFIG = (New-ExampleCopy); PATH = (New-EmptyFolder) }
        $envs.IIS_FTPS_CLI = $env:IIS_FTPS_TEST_CLI_SCRIPT
        $r = Invoke-Child -Environment $envs -Script @'
Import-Module $env:T_MODULE
Set-IisFtpsSetting -SiteDefaults -ConfigPath $env:T_CONFIG -Ssl128 $true
Out-Answer ([pscustomobject]@{ unexpected = 'no error' })
'@
        $r.id | Should -Be 'BACKEND_UNAVAILABLE,Set-IisFtpsSetting'
        $r.error | Should -Match 'install Node\.js 20\.19 or later\.$'
        @($r.error -split '(?<=[.!?])\s+') | Should -HaveCount 1 -Because 'the message is one sentence'
    }

    It 'reads, changes and checks through ServerManager with no Node on the machine' {
        $config = New-ExampleCopy
        $r = Invoke-Child -Environment @{ T_MODULE = $Built; T_CONFIG = $config; PATH = (New-EmptyFolder); IIS_FTPS_CLI = $null; IIS_FTPS_MWA_PATH = $env:IIS_FTPS_TEST_MWA } -Script @'
Import-Module $env:T_MODULE
$node = [bool](Get-Command node -ErrorAction SilentlyContinue)
Set-IisFtpsSetting -SiteName 'Public Drop' -ConfigPath $env:T_CONFIG -ClientCertificatePolicy CertRequire -ControlChannelPolicy SslRequire
$s = Get-IisFtpsSetting -SiteName 'Public Drop' -ConfigPath $env:T_CONFIG
Out-Answer ([pscustomobject]@{ node = $node; kind = (& (Get-Module IisFtps) { Get-IisFtpsBackendKind -ConfigPath 'x' }); policy = $s.ClientCertificatePolicy; source = $s.Source.clientCertificatePolicy; findings = @(Test-IisFtpsSetting -SiteName 'Public Drop' -ConfigPath $env:T_CONFIG).Count })
'@
        $r.PSObject.Properties.Name | Should -Not -Contain 'error' -Because "$($r.error)"
        $r.node | Should -BeFalse
        $r.kind | Should -Be 'ServerManager'
        $r.policy | Should -Be 'CertRequire'
        $r.source | Should -Be 'site'
        $r.findings | Should -BeGreaterThan 0
    }
}

Describe 'Publish-PSResource and Install-PSResource' {
    It 'publishes to a local repository, installs into a clean module path, imports as IisFtps and reads the example' {
        $repository = Join-Path $TestDrive 'psrepo'
        $userHome = Join-Path $TestDrive 'home'
        New-Item -ItemType Directory -Force -Path $repository, $userHome | Out-Null
        $config = New-ExampleCopy
        $envs = @{
            T_MODULE = $Built; T_REPO = $repository; T_CONFIG = $config
            HOME = $userHome; XDG_DATA_HOME = $null; XDG_CONFIG_HOME = $null; XDG_CACHE_HOME = $null; PSModulePath = $null
            IIS_FTPS_MWA_PATH = $null; IIS_FTPS_CLI = $env:IIS_FTPS_TEST_CLI_SCRIPT
        }
        $r = Invoke-Child -Environment $envs -Script @'
$before = @(Get-Module -ListAvailable -Name IisFtps).Count
Register-PSResourceRepository -Name IisFtpsLocal -Uri $env:T_REPO -Trusted
Publish-PSResource -Path $env:T_MODULE -Repository IisFtpsLocal
$packages = @(Get-ChildItem -LiteralPath $env:T_REPO -Filter '*.nupkg' | ForEach-Object Name)
Install-PSResource -Name IisFtps -Repository IisFtpsLocal -Scope CurrentUser
$installed = Get-InstalledPSResource -Name IisFtps
Import-Module IisFtps
$m = Get-Module IisFtps
$s = Get-IisFtpsSetting -SiteName 'Partner Exchange' -ConfigPath $env:T_CONFIG
Out-Answer ([pscustomobject]@{
    before = $before; packages = $packages; installedVersion = [string]$installed.Version; location = $installed.InstalledLocation
    name = $m.Name; version = [string]$m.Version; base = $m.ModuleBase; commands = @(Get-Command -Module IisFtps | ForEach-Object Name | Sort-Object)
    siteName = $s.SiteName; siteId = $s.SiteId; policy = $s.ClientCertificatePolicy; source = $s.Source.clientCertificatePolicy
    help = [bool](Get-Help about_IisFtps -ErrorAction SilentlyContinue)
})
'@
        $r.PSObject.Properties.Name | Should -Not -Contain 'error' -Because "$($r.error)"
        $version = (Import-PowerShellDataFile -Path (Join-Path $Built 'IisFtps.psd1')).ModuleVersion
        $r.before | Should -Be 0 -Because 'the module path starts clean'
        @($r.packages) | Should -Be @("IisFtps.$version.nupkg")
        $r.installedVersion | Should -Be $version
        $r.name | Should -Be 'IisFtps'
        $r.version | Should -Be $version
        $r.base | Should -BeLike (Join-Path $userHome '*')
        $r.base | Should -BeLike ('*' + (Join-Path 'IisFtps' $version))
        @($r.commands) | Should -Be $Public
        $r.siteName | Should -Be 'Partner Exchange'
        $r.siteId | Should -Be 3
        $r.policy | Should -Be 'CertAllow'
        $r.source | Should -Be 'site'
        $r.help | Should -BeTrue
    }
}
