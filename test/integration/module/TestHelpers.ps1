# Helpers the module's Pester suites share; each suite dot-sources this file in its BeforeAll,
# after setting $script:Mwa (the Microsoft.Web.Administration test double).

function script:New-TestConfig {
    <# A fresh copy of the fixture in TestDrive (the fixture itself is never edited). #>
    $path = Join-Path $TestDrive ('{0}.config' -f [guid]::NewGuid().ToString('n'))
    Copy-Item -LiteralPath $env:IIS_FTPS_TEST_FIXTURE -Destination $path
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
