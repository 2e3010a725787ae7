#Requires -Version 5.1
# iis-ftps PowerShell module: reads and changes the TLS client-certificate settings of IIS FTP
# sites (<sslClientCertificates>, <ssl>, <authentication><clientCertAuthentication>), per site and
# in siteDefaults. Public cmdlets live in Public/, helpers in Private/, the ServerManager functions
# shared with the Node backend in ../ps/.
#
# Importing only defines functions: no assembly is loaded, no file is read and no process is
# started until a cmdlet runs.

Set-StrictMode -Version Latest

. (Join-Path (Join-Path (Split-Path -Parent $PSScriptRoot) 'ps') 'IisFtps.Core.ps1')
foreach ($file in @(Get-ChildItem -LiteralPath (Join-Path $PSScriptRoot 'Private') -Filter '*.ps1') + @(Get-ChildItem -LiteralPath (Join-Path $PSScriptRoot 'Public') -Filter '*.ps1')) {
    . $file.FullName
}

Export-ModuleMember -Function @('Get-IisFtpsSetting', 'Set-IisFtpsSetting', 'Reset-IisFtpsSetting', 'Test-IisFtpsSetting', 'Update-IisFtpsCertificate')
