<#
.SYNOPSIS
A scheduled task's step: binds the certificate in a file to IIS FTP when it changed, through the iis-ftps CLI.

.DESCRIPTION
For ACME clients that write the renewed certificate to a file and import it into the machine's
store themselves (certbot on Windows, Certify, a hand-run renewal). Each run asks the CLI to move
FTP from the thumbprint bound at the last run (kept in -StateFile) to the certificate in
-CertificateFile:

    iis-ftps rotate-cert --from LAST --to-file FILE --store-name STORE --json

When the file holds the same certificate, the CLI finds it in place and writes nothing (exit 0);
when it holds a new one, every level on the old one moves in one commit and the state file gets
the new thumbprint. A failed check (expired, not for server authentication, not in the store)
exits non-zero with the CLI's message, and nothing is written. Write the thumbprint bound today
into the state file once, before the first run.

.PARAMETER CertificateFile
The certificate the ACME client keeps current (.cer, .crt or .pem).

.PARAMETER StateFile
A text file holding the thumbprint bound at the last run.

.PARAMETER StoreName
The store the ACME client imports into (My by default).

.PARAMETER ConfigPath
An applicationHost.config to change instead of live IIS.

.PARAMETER Cli
The command that runs the CLI, as words (default: iis-ftps, from 'npm install --global iis-ftps').
#>
param(
    [Parameter(Mandatory)] [string] $CertificateFile,
    [Parameter(Mandatory)] [string] $StateFile,
    [string] $StoreName = 'My',
    [string] $ConfigPath,
    [string[]] $Cli = @('iis-ftps')
)
$ErrorActionPreference = 'Stop'
$last = (Get-Content -LiteralPath $StateFile -Raw).Trim()
$arguments = @('rotate-cert', '--from', $last, '--to-file', $CertificateFile, '--store-name', $StoreName, '--json')
if ($ConfigPath) { $arguments += @('--config', $ConfigPath) }
$command = $Cli[0]
$rest = @($Cli | Select-Object -Skip 1) + $arguments
$out = & $command @rest
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
$report = ($out -join "`n") | ConvertFrom-Json
Set-Content -LiteralPath $StateFile -Value $report.to
Write-Output ('FTP certificate {0}: {1} -> {2}' -f $report.status, $last, $report.to)
exit 0
