<#
.SYNOPSIS
Posh-ACME renewal for an IIS FTP server: renew, install, bind wherever the old certificate was.

.DESCRIPTION
Run daily (e.g. from a scheduled task). Submit-Renewal renews the order when it is due and
returns the new certificate (nothing when it is not due); Install-PACertificate imports it into
LocalMachine\My; Update-IisFtpsCertificate takes it from the pipeline (its Thumbprint property)
and replaces the old thumbprint in siteDefaults and every site that sets it, in one commit.

.PARAMETER MainDomain
The Posh-ACME order's main domain.

.PARAMETER StoreName
The store to install into and to write as serverCertStoreName (My by default).

.PARAMETER ConfigPath
An applicationHost.config to change instead of live IIS.
#>
param(
    [Parameter(Mandatory)] [string] $MainDomain,
    [string] $StoreName = 'My',
    [string] $ConfigPath
)
$ErrorActionPreference = 'Stop'
if (-not (Get-Command -Name Submit-Renewal -ErrorAction SilentlyContinue)) { Import-Module Posh-ACME }
if (-not (Get-Command -Name Update-IisFtpsCertificate -ErrorAction SilentlyContinue)) { Import-Module IisFtps }

$old = (Get-PACertificate -MainDomain $MainDomain).Thumbprint
$new = Submit-Renewal -MainDomain $MainDomain
if (-not $new) {
    Write-Output ('{0}: not due for renewal; FTP keeps {1}' -f $MainDomain, $old)
    return
}
$new | Install-PACertificate -StoreLocation LocalMachine -StoreName $StoreName
$update = @{ OldThumbprint = $old; StoreName = $StoreName }
if ($ConfigPath) { $update.ConfigPath = $ConfigPath }
$new | Update-IisFtpsCertificate @update
