# PowerShell errors that carry the iis-ftps error code (docs/errors.md) as their ErrorId.

function Get-IisFtpsErrorCategory {
    <# The ErrorCategory that fits an iis-ftps error code. #>
    param([Parameter(Mandatory)] [string] $Code)
    switch ($Code) {
        { $_ -in 'USAGE', 'UNKNOWN_SETTING', 'INVALID_VALUE', 'INVALID_DESIRED_STATE' } { return [System.Management.Automation.ErrorCategory]::InvalidArgument }
        { $_ -in 'SITE_NOT_FOUND', 'SECTION_NOT_FOUND', 'OLD_CERTIFICATE_NOT_FOUND', 'CERTIFICATE_NOT_FOUND' } { return [System.Management.Automation.ErrorCategory]::ObjectNotFound }
        { $_ -in 'CERTIFICATE_NO_PRIVATE_KEY', 'CERTIFICATE_EXPIRED', 'CERTIFICATE_NOT_YET_VALID', 'CERTIFICATE_NOT_FOR_SERVER_AUTH' } { return [System.Management.Automation.ErrorCategory]::SecurityError }
        'CERTIFICATE_FILE_INVALID' { return [System.Management.Automation.ErrorCategory]::InvalidData }
        'CONFLICT' { return [System.Management.Automation.ErrorCategory]::ResourceUnavailable }
        { $_ -in 'XML_MALFORMED', 'XML_DTD', 'XML_ENCODING' } { return [System.Management.Automation.ErrorCategory]::InvalidData }
        'FILE_READ' { return [System.Management.Automation.ErrorCategory]::ReadError }
        'FILE_WRITE' { return [System.Management.Automation.ErrorCategory]::WriteError }
        'LOCK_TIMEOUT' { return [System.Management.Automation.ErrorCategory]::ResourceBusy }
        { $_ -in 'BACKEND_UNAVAILABLE', 'FTP_NOT_INSTALLED' } { return [System.Management.Automation.ErrorCategory]::NotInstalled }
        'BACKEND_TIMEOUT' { return [System.Management.Automation.ErrorCategory]::OperationTimeout }
        default { return [System.Management.Automation.ErrorCategory]::NotSpecified }
    }
}

function New-IisFtpsErrorRecord {
    <#
    An ErrorRecord for any error (an iis-ftps exception, an ErrorRecord, or another exception):
    ErrorId is the iis-ftps code (so FullyQualifiedErrorId reads 'SITE_NOT_FOUND,Set-IisFtpsSetting'),
    the message is the iis-ftps message.
    #>
    param([Parameter(Mandatory)] $ErrorObject, $TargetObject)
    $info = Get-IisFtpsErrorInfo $ErrorObject
    $ex = $ErrorObject
    if ($ex -is [System.Management.Automation.ErrorRecord]) { $ex = $ex.Exception }
    $ex = Get-IisFtpsInnermostException -Exception $ex
    if (-not $ex.Data.Contains('IisFtpsCode')) {
        $ex = New-IisFtpsException -Code $info.code -Message $info.message -InnerException $ex
    }
    return (New-Object System.Management.Automation.ErrorRecord -ArgumentList $ex, ([string]$info.code), (Get-IisFtpsErrorCategory -Code $info.code), $TargetObject)
}
