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

# ---- DSC resource IisFtpsSetting ---------------------------------------------------------------
# A class-based DSC resource (PSDesiredStateConfiguration 2, Azure Machine Configuration, DSC v3
# through its PowerShell adapter). It lives in the root module so that DSC finds it (the manifest
# lists it in DscResourcesToExport) and its methods run in this module's scope, on the helpers of
# Private/DscResource.ps1: the same engine as the cmdlets. docs/dsc.md explains the properties.
[DscResource()]
class IisFtpsSetting {
    # 'Site', or 'SiteDefaults' (then SiteName is 'siteDefaults').
    [DscProperty(Key)] [ValidateSet('Site', 'SiteDefaults')] [string] $Level
    # The FTP site's name (compared case-insensitively), or 'siteDefaults'.
    [DscProperty(Key)] [string] $SiteName
    # An applicationHost.config file to change instead of the live IIS configuration.
    [DscProperty()] [string] $ConfigPath

    # One property per setting, named as the cmdlets' parameters; $null (or ''): not managed.
    [DscProperty()] [string] $ClientCertificatePolicy
    [DscProperty()] [string[]] $ValidationFlags
    [DscProperty()] [string] $RevocationFreshnessTime
    [DscProperty()] [string] $RevocationUrlRetrievalTimeout
    [DscProperty()] [Nullable[bool]] $UseActiveDirectoryMapping
    [DscProperty()] [string] $ControlChannelPolicy
    [DscProperty()] [string] $DataChannelPolicy
    [DscProperty()] [string] $ServerCertHash
    [DscProperty()] [string] $ServerCertStoreName
    [DscProperty()] [Nullable[bool]] $Ssl128
    [DscProperty()] [Nullable[bool]] $ClientCertAuthentication

    # Settings that must not be set at this level, so that they inherit (names as above, or schema names).
    [DscProperty()] [string[]] $Inherit

    [IisFtpsSetting] Get() {
        $state = Get-IisFtpsDscState -Resource $this
        $current = [IisFtpsSetting]::new()
        foreach ($name in $state.Keys) { if ($null -ne $state[$name]) { $current.$name = $state[$name] } }
        return $current
    }

    [bool] Test() {
        return (Test-IisFtpsDscState -Resource $this)
    }

    [void] Set() {
        Set-IisFtpsDscState -Resource $this
    }
}
