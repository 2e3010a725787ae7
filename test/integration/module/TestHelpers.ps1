# What the module's Pester suites share; each suite dot-sources this file in its BeforeAll. It
# imports the module under test and sets $Repo, $Manifest, $Mwa (the Microsoft.Web.Administration
# test double), $ModuleName and $Schema (the module's schema.json) in the suite's script scope.

$script:Repo = (Resolve-Path (Join-Path $PSScriptRoot '../../..')).Path
$script:Manifest = Join-Path $Repo 'Manifest.psd1'
$script:Mwa = $env:IIS_FTPS_TEST_MWA
Import-Module $Manifest -Force
$script:ModuleName = (Get-Module -Name Manifest).Name
$script:Schema = Get-Content -Raw (Join-Path $Repo 'module/Private/schema.json') | ConvertFrom-Json

function script:New-TestConfig([string] $From = $env:IIS_FTPS_TEST_FIXTURE) {
    <# A fresh copy of a configuration (the fixture by default) in TestDrive; the original is never edited. #>
    $path = Join-Path $TestDrive ('{0}.config' -f [guid]::NewGuid().ToString('n'))
    Copy-Item -LiteralPath $From -Destination $path
    return $path
}

function script:Use-Backend([string] $Kind) {
    <# 'ServerManager': the test double through IIS_FTPS_MWA_PATH; anything else: the Node CLI. #>
    if ($Kind -eq 'ServerManager') { $env:IIS_FTPS_MWA_PATH = $script:Mwa } else { Remove-Item Env:IIS_FTPS_MWA_PATH -ErrorAction SilentlyContinue }
}

function script:Get-FileState([string] $Path) {
    <# A file's hash and modification time, to show that nothing was written. #>
    $item = Get-Item -LiteralPath $Path
    return @{ hash = (Get-FileHash -LiteralPath $Path -Algorithm SHA256).Hash; mtime = $item.LastWriteTimeUtc.Ticks }
}
