<#
.SYNOPSIS
win-acme installation step: binds the renewed certificate to IIS FTP wherever the old one was.

.DESCRIPTION
Run by win-acme's script installation after each issuance and renewal:

    wacs.exe ... --store certificatestore --certificatestore My `
        --installation script --script "C:\Scripts\win-acme-ftps.ps1" `
        --scriptparameters "'{CertThumbprint}' '{OldCertThumbprint}' '{StorePath}'"

{CertThumbprint} is the new certificate, {OldCertThumbprint} the one it replaces (empty at the
first issuance) and {StorePath} the store win-acme put it in (My, WebHosting). It replaces the
hash in siteDefaults and in every site that sets the old one, with the store name beside it, in
one commit, and lists FTP sites on neither certificate as warnings. At the first issuance there
is no old certificate: name the sites to bind as a fourth parameter ('Site A,Site B').

Exit 0 when the new certificate is in place (also on a rerun, which changes nothing); 1 with the
error on stderr otherwise, so win-acme reports the renewal as failed.

.PARAMETER NewThumbprint
{CertThumbprint}

.PARAMETER OldThumbprint
{OldCertThumbprint}

.PARAMETER StoreName
{StorePath}: the certificate store win-acme used.

.PARAMETER AlsoSite
Sites to bind as well, comma-separated (needed at the first issuance).

.PARAMETER ConfigPath
An applicationHost.config to change instead of live IIS (for a dry run on a copy).
#>
param(
    [Parameter(Mandatory, Position = 0)] [string] $NewThumbprint,
    [Parameter(Position = 1)] [string] $OldThumbprint,
    [Parameter(Position = 2)] [string] $StoreName,
    [Parameter(Position = 3)] [string] $AlsoSite,
    [string] $ConfigPath
)
$ErrorActionPreference = 'Stop'
if (-not (Get-Command -Name Update-IisFtpsCertificate -ErrorAction SilentlyContinue)) { Import-Module IisFtps }
$sites = @($AlsoSite -split ',' | ForEach-Object { $_.Trim() } | Where-Object { $_ })
try {
    $arguments = @{ NewThumbprint = $NewThumbprint }
    if ($sites.Count -gt 0) { $arguments.AlsoSite = $sites }
    if ($OldThumbprint) { $arguments.OldThumbprint = $OldThumbprint }
    if ($StoreName) { $arguments.StoreName = $StoreName }
    if ($ConfigPath) { $arguments.ConfigPath = $ConfigPath }
    $r = Update-IisFtpsCertificate @arguments
    Write-Output ('FTP certificate {0}: {1} level(s) changed, written: {2}' -f $r.Status, @($r.Changed).Count, $r.Written)
    exit 0
} catch {
    [Console]::Error.WriteLine(('FTP certificate not updated: {0} ({1})' -f $_.Exception.Message, $_.FullyQualifiedErrorId))
    exit 1
}
