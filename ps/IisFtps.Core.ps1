# iis-ftps PowerShell core: reads and changes the FTP TLS client-certificate settings of IIS
# (<ssl>, <sslClientCertificates>, <authentication><clientCertAuthentication>, per site and in
# <siteDefaults>) through Microsoft.Web.Administration.ServerManager.
#
# Dot-source this file to get the functions; it runs nothing by itself. Works in Windows
# PowerShell 5.1 and PowerShell 7. The Node backend (src/backends/powershell) and the PowerShell
# module call the same functions.
#
# Data model (the backend contract, src/backends/backend.ts):
#   read   : query  { elements: [{ element, path[] }], sites?: [{ name } | { id }], allSites? }
#            result { version, siteDefaults: { element: { attribute: raw } }, sites: [{ name, id, protocols, elements }] }
#   commit : change set { version, changes: [{ level, site: { name, id } | null, element, path[], attribute, type, value, number? }] }
#            result { written, version }
# Raw values are what ServerManager returns: numbers (enums, flags, ids), booleans, strings and
# TimeSpans (as { Ticks } in JSON). Only attributes set at a level are returned.
# Errors are exceptions carrying an iis-ftps error code in Exception.Data['IisFtpsCode'];
# Get-IisFtpsErrorInfo turns any error into { code, message, dotnetType }.

Set-StrictMode -Version Latest

$script:IisFtpsMwaStrongName = 'Microsoft.Web.Administration, Version=7.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35'

# ---- errors ---------------------------------------------------------------------------------

function New-IisFtpsException {
    <# An exception carrying an iis-ftps error code (see src/errors/errors.ts). #>
    param(
        [Parameter(Mandatory)] [string] $Code,
        [Parameter(Mandatory)] [string] $Message,
        [System.Exception] $InnerException,
        [string] $Site
    )
    if ($InnerException) {
        $ex = New-Object System.InvalidOperationException -ArgumentList $Message, $InnerException
    } else {
        $ex = New-Object System.InvalidOperationException -ArgumentList $Message
    }
    $ex.Data['IisFtpsCode'] = $Code
    if ($PSBoundParameters.ContainsKey('Site')) { $ex.Data['IisFtpsSite'] = $Site }
    return $ex
}

function Get-IisFtpsInnermostException {
    <# The exception a .NET call threw, without PowerShell's invocation wrappers. #>
    param([Parameter(Mandatory)] [System.Exception] $Exception)
    $ex = $Exception
    while ($null -ne $ex.InnerException -and -not $ex.Data.Contains('IisFtpsCode') -and (
            $ex -is [System.Management.Automation.MethodInvocationException] -or
            $ex -is [System.Management.Automation.SetValueInvocationException] -or
            $ex -is [System.Management.Automation.GetValueInvocationException] -or
            $ex -is [System.Reflection.TargetInvocationException] -or
            $ex -is [System.TypeInitializationException] -or
            $ex.GetType().FullName -eq 'System.Management.Automation.CmdletInvocationException')) {
        $ex = $ex.InnerException
    }
    return $ex
}

function Get-IisFtpsErrorInfo {
    <#
    Turns an error (ErrorRecord or exception) into { code, message, dotnetType }: the iis-ftps code
    it carries, or CONFLICT for ServerManager's "changed on disk" refusal, or BACKEND_FAILED.
    dotnetType names the .NET exception behind it.
    #>
    param([Parameter(Mandatory)] $ErrorObject)
    $ex = $ErrorObject
    if ($ex -is [System.Management.Automation.ErrorRecord]) { $ex = $ex.Exception }
    $ex = Get-IisFtpsInnermostException -Exception $ex
    $cause = $ex
    while ($cause.Data.Contains('IisFtpsCode') -and $null -ne $cause.InnerException) { $cause = $cause.InnerException }
    $cause = Get-IisFtpsInnermostException -Exception $cause
    $info = [ordered]@{ code = 'BACKEND_FAILED'; message = [string]$ex.Message; dotnetType = $cause.GetType().FullName }
    if ($ex.Data.Contains('IisFtpsCode')) {
        $info.code = [string]$ex.Data['IisFtpsCode']
        if ($ex.Data.Contains('IisFtpsSite')) { $info.site = [string]$ex.Data['IisFtpsSite'] }
    } elseif ($ex.Message -match 'changed on disk') {
        $info.code = 'CONFLICT'
    } elseif ($ex -is [System.Xml.XmlException]) {
        if ($ex.Message -match 'DTD|DOCTYPE') { $info.code = 'XML_DTD' } else { $info.code = 'XML_MALFORMED' }
    }
    return $info
}

# ---- loading the assembly and opening the configuration --------------------------------------

function Import-IisFtpsAdministration {
    <#
    Loads Microsoft.Web.Administration: from -Path (default: $env:IIS_FTPS_MWA_PATH) when given,
    else from %windir%\System32\inetsrv, else from the GAC. Throws BACKEND_UNAVAILABLE when none
    can be loaded. Does nothing when the assembly is loaded already.
    #>
    param([string] $Path = $env:IIS_FTPS_MWA_PATH)
    if ($null -ne ('Microsoft.Web.Administration.ServerManager' -as [type])) { return }
    if ($Path) {
        if (-not (Test-Path -LiteralPath $Path -PathType Leaf)) {
            throw (New-IisFtpsException -Code BACKEND_UNAVAILABLE -Message ("IIS_FTPS_MWA_PATH names '{0}', which is not a file. Point it at Microsoft.Web.Administration.dll, or unset it to use IIS's own copy." -f $Path))
        }
        try {
            Add-Type -LiteralPath $Path
        } catch {
            throw (New-IisFtpsException -Code BACKEND_UNAVAILABLE -Message ("Microsoft.Web.Administration could not be loaded from '{0}': {1}" -f $Path, $_.Exception.Message) -InnerException $_.Exception)
        }
        return
    }
    $tried = @()
    if ($env:windir) {
        $inetsrv = Join-Path $env:windir 'System32\inetsrv\Microsoft.Web.Administration.dll'
        $tried += $inetsrv
        if (Test-Path -LiteralPath $inetsrv -PathType Leaf) {
            try {
                Add-Type -LiteralPath $inetsrv
                return
            } catch {
                throw (New-IisFtpsException -Code BACKEND_UNAVAILABLE -Message ("Microsoft.Web.Administration could not be loaded from '{0}': {1}" -f $inetsrv, $_.Exception.Message) -InnerException $_.Exception)
            }
        }
    }
    $tried += 'the GAC (' + $script:IisFtpsMwaStrongName + ')'
    try {
        [void][System.Reflection.Assembly]::Load($script:IisFtpsMwaStrongName)
        if ($null -ne ('Microsoft.Web.Administration.ServerManager' -as [type])) { return }
    } catch {
        Write-Verbose ("GAC load failed: {0}" -f $_.Exception.Message)
    }
    throw (New-IisFtpsException -Code BACKEND_UNAVAILABLE -Message ("IIS's Microsoft.Web.Administration.dll is not on this machine (looked in {0}). Install IIS with the FTP Server role service and its management tools (Install-WindowsFeature Web-Server, Web-Ftp-Server, Web-Mgmt-Tools), or set IIS_FTPS_MWA_PATH to the path of Microsoft.Web.Administration.dll; to edit a copy of applicationHost.config without IIS, use the offline backend (--backend xml --config FILE)." -f ($tried -join ', ')))
}

function Get-IisFtpsConfigPath {
    <# The applicationHost.config a ServerManager works on: -ConfigPath in full, else the live one. #>
    param([string] $ConfigPath)
    if ($ConfigPath) { return [System.IO.Path]::GetFullPath($ConfigPath) }
    if (-not $env:windir) {
        throw (New-IisFtpsException -Code BACKEND_UNAVAILABLE -Message 'There is no live IIS configuration here (not Windows). Pass a configuration file path.')
    }
    return (Join-Path $env:windir 'System32\inetsrv\config\applicationHost.config')
}

function Get-IisFtpsFileVersion {
    <# The version token of a configuration file: the SHA-256 of its bytes, lower-case hex (as the offline backend). #>
    param([Parameter(Mandatory)] [string] $Path)
    try {
        $bytes = [System.IO.File]::ReadAllBytes($Path)
    } catch {
        $inner = Get-IisFtpsInnermostException -Exception $_.Exception
        throw (New-IisFtpsException -Code FILE_READ -Message ("{0} cannot be read: {1}" -f $Path, $inner.Message) -InnerException $inner)
    }
    $sha = [System.Security.Cryptography.SHA256]::Create()
    try {
        $hash = $sha.ComputeHash($bytes)
    } finally {
        $sha.Dispose()
    }
    return (($hash | ForEach-Object { $_.ToString('x2') }) -join '')
}

function Open-IisFtpsServerManager {
    <# A ServerManager on -ConfigPath, or on the live IIS configuration when none is given. #>
    param([string] $ConfigPath)
    if ($ConfigPath) {
        return (New-Object Microsoft.Web.Administration.ServerManager -ArgumentList $ConfigPath)
    }
    return (New-Object Microsoft.Web.Administration.ServerManager)
}

function Get-IisFtpsSitesSection {
    <# The system.applicationHost/sites section of a ServerManager's applicationHost configuration. #>
    param([Parameter(Mandatory)] $ServerManager)
    return $ServerManager.GetApplicationHostConfiguration().GetSection('system.applicationHost/sites')
}

# ---- sites and elements ------------------------------------------------------------------------

function Get-IisFtpsProperty {
    <# A property of an object from ConvertFrom-Json, or $Default when it is absent (safe under strict mode). #>
    param($InputObject, [Parameter(Mandatory)] [string] $Name, $Default = $null)
    if ($null -eq $InputObject) { return $Default }
    if ($InputObject -is [System.Collections.IDictionary]) {
        if ($InputObject.Contains($Name)) { return $InputObject[$Name] }
        return $Default
    }
    $p = $InputObject.PSObject.Properties[$Name]
    if ($null -eq $p) { return $Default }
    return $p.Value
}

function Get-IisFtpsSiteList {
    <# Every <site> element of the sites section, in file order (as an array, never unrolled to one). #>
    param([Parameter(Mandatory)] $Section)
    $list = New-Object System.Collections.ArrayList
    foreach ($site in $Section.GetCollection()) { [void]$list.Add($site) }
    return , $list.ToArray()
}

function Get-IisFtpsSiteId {
    <# A site's id as a number, or $null when the site has none. #>
    param([Parameter(Mandatory)] $Site)
    $attr = $Site.GetAttribute('id')
    if ($attr.IsInheritedFromDefaultValue) { return $null }
    return [long]$attr.Value
}

function Find-IisFtpsSite {
    <#
    The site a reference names: { name } compared case-insensitively (ordinal), with { id } also
    checked when given; or { id } alone. Throws SITE_NOT_FOUND listing the sites that exist.
    #>
    param([Parameter(Mandatory)] [AllowEmptyCollection()] [object[]] $Sites, [Parameter(Mandatory)] $Ref)
    $name = Get-IisFtpsProperty $Ref 'name'
    $id = Get-IisFtpsProperty $Ref 'id'
    if ($null -ne $name -and -not ($name -is [string])) {
        throw (New-IisFtpsException -Code USAGE -Message 'A site name must be a string.')
    }
    foreach ($site in $Sites) {
        if ($null -ne $name) {
            if (-not [string]::Equals([string]$site.GetAttributeValue('name'), $name, [System.StringComparison]::OrdinalIgnoreCase)) { continue }
            if ($null -ne $id -and (Get-IisFtpsSiteId $site) -ne [long]$id) { continue }
            return $site
        }
        if ($null -ne $id -and (Get-IisFtpsSiteId $site) -eq [long]$id) { return $site }
    }
    $shown = @()
    foreach ($site in $Sites) {
        $siteId = Get-IisFtpsSiteId $site
        if ($null -eq $siteId) { $siteId = '?' }
        $shown += ('"{0}" (id {1})' -f $site.GetAttributeValue('name'), $siteId)
    }
    if ($shown.Count -gt 12) { $shown = $shown[0..11] + ('and {0} more' -f ($shown.Count - 12)) }
    if ($null -ne $name) { $what = 'named "{0}"' -f $name; $siteText = [string]$name } else { $what = 'with id {0}' -f $id; $siteText = [string]$id }
    if ($shown.Count -gt 0) { $list = 'Sites in the configuration: ' + ($shown -join ', ') } else { $list = 'The configuration has no sites' }
    throw (New-IisFtpsException -Code SITE_NOT_FOUND -Message ('No site {0}. {1}' -f $what, $list) -Site $siteText)
}

function Get-IisFtpsElement {
    <# The element at -Path below -Owner (a site or siteDefaults), walked with GetChildElement. #>
    param([Parameter(Mandatory)] $Owner, [Parameter(Mandatory)] [AllowEmptyCollection()] [string[]] $Path)
    $el = $Owner
    foreach ($name in $Path) { $el = $el.GetChildElement($name) }
    return $el
}

function ConvertTo-IisFtpsRawValue {
    <# A ServerManager value as plain data: TimeSpan -> @{ Ticks }, enums and ids -> numbers. #>
    param($Value)
    if ($null -eq $Value) { return $null }
    if ($Value -is [System.TimeSpan]) { return [ordered]@{ Ticks = $Value.Ticks } }
    if ($Value -is [bool] -or $Value -is [string]) { return $Value }
    if ($Value -is [System.Enum]) { return [long]$Value }
    if ($Value -is [int] -or $Value -is [long] -or $Value -is [uint32] -or $Value -is [uint64] -or $Value -is [int16] -or $Value -is [uint16] -or $Value -is [byte]) { return $Value }
    return [string]$Value
}

function Get-IisFtpsSetAttributes {
    <# The attributes set on an element (not inherited from the schema default), as raw values. #>
    param([Parameter(Mandatory)] $Element)
    $out = [ordered]@{}
    foreach ($attr in $Element.Attributes) {
        if ($attr.IsInheritedFromDefaultValue) { continue }
        $out[$attr.Name] = ConvertTo-IisFtpsRawValue $attr.Value
    }
    return $out
}

function Get-IisFtpsRawElements {
    <# For each element of the query, the attributes set on it below -Owner. #>
    param([Parameter(Mandatory)] $Owner, [Parameter(Mandatory)] [AllowEmptyCollection()] [object[]] $Elements)
    $out = [ordered]@{}
    foreach ($e in $Elements) {
        $path = @(Get-IisFtpsProperty $e 'path' @())
        $out[[string](Get-IisFtpsProperty $e 'element')] = Get-IisFtpsSetAttributes (Get-IisFtpsElement -Owner $Owner -Path $path)
    }
    return $out
}

function Get-IisFtpsSiteProtocols {
    <# The protocols of a site's bindings, lower-case, in file order. #>
    param([Parameter(Mandatory)] $Site)
    $list = New-Object System.Collections.ArrayList
    foreach ($binding in $Site.GetCollection('bindings')) {
        $p = $binding.GetAttribute('protocol')
        if (-not $p.IsInheritedFromDefaultValue) { [void]$list.Add(([string]$p.Value).ToLowerInvariant()) }
    }
    return , $list.ToArray()
}

# ---- read ----------------------------------------------------------------------------------------

function Read-IisFtpsSnapshot {
    <#
    Reads the query's elements of siteDefaults and of the asked sites (or all sites) through a
    ServerManager. Returns the RawSnapshot as an ordered dictionary. The version is the hash of
    the file as it was when read (taken before and after loading; retried if it changed between).
    #>
    param([Parameter(Mandatory)] $Query, [string] $ConfigPath)
    $file = Get-IisFtpsConfigPath -ConfigPath $ConfigPath
    $elements = @(Get-IisFtpsProperty $Query 'elements' @())
    for ($attempt = 1; ; $attempt++) {
        $before = Get-IisFtpsFileVersion -Path $file
        $sm = Open-IisFtpsServerManager -ConfigPath $ConfigPath
        try {
            $section = Get-IisFtpsSitesSection -ServerManager $sm
            $all = Get-IisFtpsSiteList -Section $section
            if (Get-IisFtpsProperty $Query 'allSites' $false) {
                $picked = $all
            } else {
                $picked = @()
                foreach ($ref in @(Get-IisFtpsProperty $Query 'sites' @())) { $picked += , (Find-IisFtpsSite -Sites $all -Ref $ref) }
            }
            $sites = New-Object System.Collections.ArrayList
            foreach ($site in $picked) {
                [void]$sites.Add([ordered]@{
                        name      = [string]$site.GetAttributeValue('name')
                        id        = Get-IisFtpsSiteId $site
                        protocols = Get-IisFtpsSiteProtocols $site
                        elements  = Get-IisFtpsRawElements -Owner $site -Elements $elements
                    })
            }
            $snapshot = [ordered]@{
                version      = $null
                siteDefaults = Get-IisFtpsRawElements -Owner $section.GetChildElement('siteDefaults') -Elements $elements
                sites        = $sites.ToArray()
            }
        } finally {
            $sm.Dispose()
        }
        $after = Get-IisFtpsFileVersion -Path $file
        if ($before -eq $after) {
            $snapshot.version = $after
            return $snapshot
        }
        if ($attempt -ge 3) {
            throw (New-IisFtpsException -Code CONFLICT -Message ('{0} kept changing while it was read; try again.' -f $file))
        }
    }
}

# ---- commit --------------------------------------------------------------------------------------

function ConvertTo-IisFtpsTypedValue {
    <# A change's value as the .NET type ServerManager takes: Int32 for enum and flags, TimeSpan, Boolean, String. #>
    param([Parameter(Mandatory)] $Change)
    $type = [string](Get-IisFtpsProperty $Change 'type')
    $value = Get-IisFtpsProperty $Change 'value'
    $number = Get-IisFtpsProperty $Change 'number'
    if (-not ($value -is [string])) {
        throw (New-IisFtpsException -Code INVALID_VALUE -Message ("The value for '{0}' must be text, not {1}." -f (Get-IisFtpsProperty $Change 'attribute'), $value.GetType().FullName))
    }
    switch ($type) {
        { $_ -eq 'enum' -or $_ -eq 'flags' } {
            if ($null -eq $number) { return $value }
            return [int]$number
        }
        'timeSpan' { return [System.TimeSpan]::Parse($value, [System.Globalization.CultureInfo]::InvariantCulture) }
        'bool' { return [bool]::Parse($value) }
        'string' { return $value }
        default { throw (New-IisFtpsException -Code INVALID_VALUE -Message ("Unknown value type '{0}'." -f $type)) }
    }
}

function Set-IisFtpsAttribute {
    <# Applies one change to an element: sets the typed value, or deletes the attribute for a null value. #>
    param([Parameter(Mandatory)] $Element, [Parameter(Mandatory)] $Change)
    $name = [string](Get-IisFtpsProperty $Change 'attribute')
    $where = '{0}/@{1}' -f ((@(Get-IisFtpsProperty $Change 'path' @()) -join '/')), $name
    try {
        if ($null -eq (Get-IisFtpsProperty $Change 'value')) {
            $Element.GetAttribute($name).Delete()
        } else {
            $Element.SetAttributeValue($name, (ConvertTo-IisFtpsTypedValue -Change $Change))
        }
    } catch {
        $inner = Get-IisFtpsInnermostException -Exception $_.Exception
        if ($inner.Data.Contains('IisFtpsCode')) { throw $inner }
        if ($inner -is [System.FormatException] -or $inner -is [System.ArgumentException] -or $inner -is [System.OverflowException] -or $inner -is [System.InvalidCastException]) {
            throw (New-IisFtpsException -Code INVALID_VALUE -Message ("{0} cannot be set to '{1}': {2}" -f $where, (Get-IisFtpsProperty $Change 'value'), $inner.Message) -InnerException $inner)
        }
        throw
    }
}

function Invoke-IisFtpsChangeSet {
    <#
    Applies a change set through one ServerManager and commits it once: every change reaches the
    file, or none does. Refuses with CONFLICT when the file is no longer the version read.
    Returns @{ written; version }.
    #>
    param([Parameter(Mandatory)] $ChangeSet, [string] $ConfigPath)
    $file = Get-IisFtpsConfigPath -ConfigPath $ConfigPath
    $changes = @(Get-IisFtpsProperty $ChangeSet 'changes' @())
    $expected = [string](Get-IisFtpsProperty $ChangeSet 'version')
    $sm = Open-IisFtpsServerManager -ConfigPath $ConfigPath
    try {
        $section = Get-IisFtpsSitesSection -ServerManager $sm
        $version = Get-IisFtpsFileVersion -Path $file
        if ($version -ne $expected) {
            throw (New-IisFtpsException -Code CONFLICT -Message ('{0} changed on disk after it was read; nothing was written. Read it again and repeat the change.' -f $file))
        }
        if ($changes.Count -eq 0) { return [ordered]@{ written = $false; version = $version } }
        $all = Get-IisFtpsSiteList -Section $section
        foreach ($change in $changes) {
            if ([string](Get-IisFtpsProperty $change 'level') -eq 'siteDefaults') {
                $owner = $section.GetChildElement('siteDefaults')
            } else {
                $ref = Get-IisFtpsProperty $change 'site'
                if ($null -eq $ref) { throw (New-IisFtpsException -Code USAGE -Message 'A site-level change names no site.') }
                $owner = Find-IisFtpsSite -Sites $all -Ref $ref
            }
            $element = Get-IisFtpsElement -Owner $owner -Path @(Get-IisFtpsProperty $change 'path' @())
            Set-IisFtpsAttribute -Element $element -Change $change
        }
        $sm.CommitChanges()
    } finally {
        $sm.Dispose()
    }
    $after = Get-IisFtpsFileVersion -Path $file
    return [ordered]@{ written = ($after -ne $version); version = $after }
}

# ---- JSON that is the same in every PowerShell ---------------------------------------------------

function ConvertTo-IisFtpsJson {
    <#
    Compact JSON of dictionaries, arrays, strings, numbers, booleans, null and TimeSpans, written
    the same in Windows PowerShell 5.1 and PowerShell 7 (ConvertTo-Json differs between them).
    Non-ASCII characters are escaped, so the text is ASCII.
    #>
    param($Value)
    if ($null -eq $Value) { return 'null' }
    if ($Value -is [string] -or $Value -is [char]) {
        $sb = New-Object System.Text.StringBuilder
        [void]$sb.Append('"')
        foreach ($c in ([string]$Value).ToCharArray()) {
            $n = [int]$c
            if ($c -eq '"') { [void]$sb.Append('\"') }
            elseif ($c -eq '\') { [void]$sb.Append('\\') }
            elseif ($n -lt 0x20 -or $n -gt 0x7e) { [void]$sb.Append(('\u{0:x4}' -f $n)) }
            else { [void]$sb.Append($c) }
        }
        [void]$sb.Append('"')
        return $sb.ToString()
    }
    if ($Value -is [bool]) { if ($Value) { return 'true' } else { return 'false' } }
    if ($Value -is [System.TimeSpan]) { return ('{{"Ticks":{0}}}' -f $Value.Ticks) }
    if ($Value -is [System.Enum]) { return ([long]$Value).ToString([System.Globalization.CultureInfo]::InvariantCulture) }
    if ($Value -is [int] -or $Value -is [long] -or $Value -is [uint32] -or $Value -is [uint64] -or $Value -is [int16] -or $Value -is [uint16] -or $Value -is [byte] -or $Value -is [sbyte] -or $Value -is [decimal]) {
        return $Value.ToString([System.Globalization.CultureInfo]::InvariantCulture)
    }
    if ($Value -is [double] -or $Value -is [single]) { return $Value.ToString('R', [System.Globalization.CultureInfo]::InvariantCulture) }
    if ($Value -is [System.Collections.IDictionary]) {
        $parts = @()
        foreach ($key in $Value.Keys) { $parts += ((ConvertTo-IisFtpsJson ([string]$key)) + ':' + (ConvertTo-IisFtpsJson $Value[$key])) }
        return '{' + ($parts -join ',') + '}'
    }
    if ($Value -is [System.Management.Automation.PSCustomObject]) {
        $parts = @()
        foreach ($p in $Value.PSObject.Properties) { $parts += ((ConvertTo-IisFtpsJson $p.Name) + ':' + (ConvertTo-IisFtpsJson $p.Value)) }
        return '{' + ($parts -join ',') + '}'
    }
    if ($Value -is [System.Collections.IEnumerable]) {
        $parts = @()
        foreach ($item in $Value) { $parts += (ConvertTo-IisFtpsJson $item) }
        return '[' + ($parts -join ',') + ']'
    }
    return (ConvertTo-IisFtpsJson ([string]$Value))
}

function ConvertFrom-IisFtpsJson {
    <# Parses JSON, keeping strings that look like dates as strings where PowerShell allows it. #>
    param([Parameter(Mandatory)] [string] $Json)
    $cmd = Get-Command ConvertFrom-Json
    if ($cmd.Parameters.ContainsKey('DateKind')) { return (ConvertFrom-Json -InputObject $Json -DateKind String) }
    return (ConvertFrom-Json -InputObject $Json)
}

# ---- one request from the Node backend -------------------------------------------------------------

function Invoke-IisFtpsRequest {
    <#
    Runs one request { op: 'read' | 'commit' | 'ping', configPath, mwaPath, query | changeSet | delayMs } and
    returns the response { ok, pid, result } or { ok: false, pid, error: { code, message, dotnetType } }.
    Never throws.
    #>
    param([Parameter(Mandatory)] $Request)
    try {
        $op = [string](Get-IisFtpsProperty $Request 'op')
        $configPath = [string](Get-IisFtpsProperty $Request 'configPath' '')
        if ($op -eq 'ping') {
            $delay = [int](Get-IisFtpsProperty $Request 'delayMs' 0)
            if ($delay -gt 0) { Start-Sleep -Milliseconds $delay }
            $result = [ordered]@{ psVersion = $PSVersionTable.PSVersion.ToString(); psEdition = [string](Get-IisFtpsProperty $PSVersionTable 'PSEdition' 'Desktop') }
        } else {
            Import-IisFtpsAdministration -Path ([string](Get-IisFtpsProperty $Request 'mwaPath' $env:IIS_FTPS_MWA_PATH))
            switch ($op) {
                'read' { $result = Read-IisFtpsSnapshot -Query (Get-IisFtpsProperty $Request 'query') -ConfigPath $configPath }
                'commit' { $result = Invoke-IisFtpsChangeSet -ChangeSet (Get-IisFtpsProperty $Request 'changeSet') -ConfigPath $configPath }
                default { throw (New-IisFtpsException -Code USAGE -Message ("Unknown request '{0}'." -f $op)) }
            }
        }
        return [ordered]@{ ok = $true; pid = $PID; result = $result }
    } catch {
        return [ordered]@{ ok = $false; pid = $PID; error = (Get-IisFtpsErrorInfo $_) }
    }
}

function Invoke-IisFtpsBridgeRequest {
    <#
    The bridge's entry point: takes the request as base64 of UTF-8 JSON (so no request text is
    ever PowerShell source) and writes one line to stdout: the prefix and base64 of the UTF-8
    JSON response.
    #>
    param([Parameter(Mandatory)] [string] $RequestBase64)
    try {
        $json = [System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String($RequestBase64))
        $response = Invoke-IisFtpsRequest -Request (ConvertFrom-IisFtpsJson -Json $json)
    } catch {
        $response = [ordered]@{ ok = $false; pid = $PID; error = (Get-IisFtpsErrorInfo $_) }
    }
    $out = ConvertTo-IisFtpsJson $response
    [Console]::Out.WriteLine('IISFTPS:' + [System.Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($out)))
}
