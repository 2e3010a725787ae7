@{
    RootModule           = 'module/IisFtps.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '6bb3e8ec-9a35-473d-995b-9a282ade4f1d'
    Author               = 'iis-ftps contributors'
    CompanyName          = 'iis-ftps'
    Copyright            = '(c) iis-ftps contributors. MIT License.'
    Description          = 'Reads and changes the TLS client-certificate settings of IIS FTP sites (sslClientCertificates, ssl, clientCertAuthentication), per site and in siteDefaults, on live IIS through Microsoft.Web.Administration or in an applicationHost.config file.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('module/IisFtps.Format.ps1xml')
    FunctionsToExport    = @('Get-IisFtpsSetting', 'Set-IisFtpsSetting', 'Reset-IisFtpsSetting', 'Test-IisFtpsSetting', 'Update-IisFtpsCertificate')
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    DscResourcesToExport = @('IisFtpsSetting')
    PrivateData          = @{
        PSData = @{
            Tags       = @('IIS', 'FTP', 'FTPS', 'TLS', 'ClientCertificate', 'applicationHost', 'Windows', 'PSEdition_Desktop', 'PSEdition_Core')
            LicenseUri = 'https://opensource.org/licenses/MIT'
        }
    }
}
