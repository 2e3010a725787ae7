# iis-ftps PowerShell core: what is PowerShell by nature on the live path. Loading the C# engine
# (src/engine/*.cs, the one implementation that talks to Microsoft.Web.Administration.ServerManager),
# the request loop the Node backend (src/backends/powershell) drives, errors as PowerShell
# exceptions, and JSON that is the same in every PowerShell. The PowerShell module uses the same
# functions for its live path.
#
# Dot-source this file to get the functions; it runs nothing by itself. Works in Windows
# PowerShell 5.1 and PowerShell 7.
#
# The engine is compiled with Add-Type once per engine version, edition and .NET major version,
# into a per-user cache (IIS_FTPS_ENGINE_CACHE, else %LOCALAPPDATA%\iis-ftps\engine on Windows,
# else $XDG_CACHE_HOME/iis-ftps/engine or ~/.cache/iis-ftps/engine), named by the SHA-256 of its
# source, so a new PowerShell session loads the compiled assembly instead of compiling again.
#
# Requests and answers are JSON (shapes in src/contract/backend.ts and src/engine/Engine.cs):
#   read   : { op: 'read', configPath, mwaPath, query }         -> RawSnapshot
#   commit : { op: 'commit', configPath, mwaPath, changeSet }   -> { written, version }
#   findCertificate : { op: 'findCertificate', thumbprint, storeName } -> CertificateInfo or null
# Errors are exceptions carrying an iis-ftps error code in Exception.Data['IisFtpsCode'];
# Get-IisFtpsErrorInfo turns any error into { code, message, dotnetType }.

Set-StrictMode -Version Latest

$script:IisFtpsEngineDir = Join-Path (Join-Path (Split-Path -Parent $PSScriptRoot) 'src') 'engine'

# ---- errors ---------------------------------------------------------------------------------

function New-IisFtpsException {
    <# An exception carrying an iis-ftps error code (see src/errors/errors.ts). #>
    param(
        [Parameter(Mandatory)] [string] $Code,
        [Parameter(Mandatory)] [string] $Message,
        [System.Exception] $InnerException,
        [string] $Site,
        [string] $DotnetType
    )
    if ($InnerException) {
        $ex = New-Object System.InvalidOperationException -ArgumentList $Message, $InnerException
    } else {
        $ex = New-Object System.InvalidOperationException -ArgumentList $Message
    }
    $ex.Data['IisFtpsCode'] = $Code
    if ($PSBoundParameters.ContainsKey('Site')) { $ex.Data['IisFtpsSite'] = $Site }
    if ($DotnetType) { $ex.Data['IisFtpsDotnetType'] = $DotnetType }
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
    it carries (the engine maps .NET exceptions to codes), or BACKEND_FAILED. dotnetType names the
    .NET exception behind it.
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
        if ($ex.Data.Contains('IisFtpsDotnetType')) { $info.dotnetType = [string]$ex.Data['IisFtpsDotnetType'] }
    }
    return $info
}

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

# ---- the engine: compiled once, cached per user -------------------------------------------------

function Get-IisFtpsEngineSource {
    <# The engine's source as one text (its .cs files sorted by name, ordinal, each followed by a line feed) and its SHA-256. #>
    param([string] $Directory = $script:IisFtpsEngineDir)
    if (-not (Test-Path -LiteralPath $Directory -PathType Container)) {
        throw (New-IisFtpsException -Code BACKEND_UNAVAILABLE -Message ("The iis-ftps engine's source is missing ({0}); reinstall iis-ftps." -f $Directory))
    }
    $names = @(Get-ChildItem -LiteralPath $Directory -Filter '*.cs' -File | ForEach-Object { $_.Name })
    [Array]::Sort($names, [System.StringComparer]::Ordinal)
    $sb = New-Object System.Text.StringBuilder
    foreach ($name in $names) {
        [void]$sb.Append([System.IO.File]::ReadAllText((Join-Path $Directory $name), [System.Text.Encoding]::UTF8).TrimStart([char]0xFEFF))
        [void]$sb.Append("`n")
    }
    $text = $sb.ToString()
    $sha = [System.Security.Cryptography.SHA256]::Create()
    try { $hash = $sha.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($text)) } finally { $sha.Dispose() }
    return @{ text = $text; hash = (($hash | ForEach-Object { $_.ToString('x2') }) -join '') }
}

function Get-IisFtpsEngineCacheDir {
    <# The per-user folder of compiled engines: IIS_FTPS_ENGINE_CACHE, else LOCALAPPDATA (Windows), XDG_CACHE_HOME or ~/.cache. #>
    if ($env:IIS_FTPS_ENGINE_CACHE) { return $env:IIS_FTPS_ENGINE_CACHE }
    if ($env:LOCALAPPDATA) { return (Join-Path (Join-Path $env:LOCALAPPDATA 'iis-ftps') 'engine') }
    $base = $env:XDG_CACHE_HOME
    if (-not $base) { $base = Join-Path ([System.Environment]::GetFolderPath('UserProfile')) '.cache' }
    return (Join-Path (Join-Path $base 'iis-ftps') 'engine')
}

function Import-IisFtpsEngine {
    <#
    Loads the C# engine into this session: from the per-user cache when this version of it was
    compiled before for this edition of PowerShell and major version of .NET, else compiles it with
    Add-Type into the cache first. Does nothing when it is loaded already. -PassThru returns
    @{ path; compiled } (compiled: whether this call compiled it). Throws BACKEND_UNAVAILABLE when
    it cannot be compiled or loaded.
    #>
    param([switch] $PassThru)
    if ($null -ne ('IisFtps.Engine.Engine' -as [type])) {
        if ($PassThru) { return @{ path = ('IisFtps.Engine.Engine' -as [type]).Assembly.Location; compiled = $false } }
        return
    }
    $source = Get-IisFtpsEngineSource
    $edition = [string](Get-IisFtpsProperty $PSVersionTable 'PSEdition' 'Desktop')
    $name = 'IisFtps.Engine.{0}.net{1}.{2}' -f $edition, [System.Environment]::Version.Major, $source.hash.Substring(0, 16)
    $dir = Get-IisFtpsEngineCacheDir
    $path = Join-Path $dir ($name + '.dll')
    $compiled = $false
    $keepWork = $false
    if (-not (Test-Path -LiteralPath $path -PathType Leaf)) {
        # Compile into a folder of this process's own, then move the assembly into place: a
        # session that compiles at the same time never sees half a file.
        $work = Join-Path $dir ('.build-{0}-{1}' -f $PID, [guid]::NewGuid().ToString('n'))
        try {
            # -WhatIf:$false: a cmdlet run with -WhatIf loads the engine too, and its preference reaches here.
            [void](New-Item -ItemType Directory -Force -Path $work -WhatIf:$false -Confirm:$false)
            $built = Join-Path $work ($name + '.dll')
            $params = @{ TypeDefinition = $source.text; OutputAssembly = $built; OutputType = 'Library'; IgnoreWarnings = $true; Language = 'CSharp' }
            # Windows PowerShell 5.1 references only System and System.Management.Automation by default.
            if ($edition -eq 'Desktop') { $params.ReferencedAssemblies = @('System.Core', 'System.Xml') }
            Add-Type @params
            try {
                [System.IO.File]::Move($built, $path)
            } catch {
                # Another session put it there first (use that one), or the new file cannot move
                # (then load it where it was built; the next session compiles again).
                if (-not (Test-Path -LiteralPath $path -PathType Leaf)) {
                    $path = $built
                    $keepWork = $true
                }
            }
            $compiled = $true
        } catch {
            $inner = Get-IisFtpsInnermostException -Exception $_.Exception
            throw (New-IisFtpsException -Code BACKEND_UNAVAILABLE -Message ("The iis-ftps engine could not be compiled into {0}: {1}" -f $dir, $inner.Message) -InnerException $inner)
        } finally {
            if (-not $keepWork) { Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue -WhatIf:$false -Confirm:$false }
        }
    }
    try {
        Add-Type -LiteralPath $path
    } catch {
        $inner = Get-IisFtpsInnermostException -Exception $_.Exception
        throw (New-IisFtpsException -Code BACKEND_UNAVAILABLE -Message ("The compiled iis-ftps engine {0} could not be loaded: {1}. Delete it to compile it again." -f $path, $inner.Message) -InnerException $inner)
    }
    if ($PassThru) { return @{ path = $path; compiled = $compiled } }
}

function Invoke-IisFtpsEngine {
    <#
    Runs one engine request (a dictionary, sent as JSON: no value ever becomes code) and returns
    its result as parsed JSON, or throws its error as an iis-ftps exception.
    #>
    param([Parameter(Mandatory)] $Request)
    Import-IisFtpsEngine
    $answer = ConvertFrom-IisFtpsJson -Json ([IisFtps.Engine.Engine]::Handle((ConvertTo-IisFtpsJson $Request)))
    if ($answer.ok) { return $answer.result }
    $err = $answer.error
    $site = Get-IisFtpsProperty $err 'site'
    $params = @{ Code = [string]$err.code; Message = [string]$err.message; DotnetType = [string](Get-IisFtpsProperty $err 'dotnetType' '') }
    if ($null -ne $site) { $params.Site = [string]$site }
    throw (New-IisFtpsException @params)
}

function Read-IisFtpsSnapshot {
    <# Reads siteDefaults and the query's sites through the engine: the RawSnapshot (src/contract/backend.ts). #>
    param([Parameter(Mandatory)] $Query, [string] $ConfigPath, [string] $MwaPath = $env:IIS_FTPS_MWA_PATH)
    return (Invoke-IisFtpsEngine -Request ([ordered]@{ op = 'read'; configPath = $ConfigPath; mwaPath = $MwaPath; query = $Query }))
}

function Invoke-IisFtpsChangeSet {
    <# Commits a change set through the engine, all or nothing: @{ written; version }. CONFLICT when the file is no longer the version read. #>
    param([Parameter(Mandatory)] $ChangeSet, [string] $ConfigPath, [string] $MwaPath = $env:IIS_FTPS_MWA_PATH)
    return (Invoke-IisFtpsEngine -Request ([ordered]@{ op = 'commit'; configPath = $ConfigPath; mwaPath = $MwaPath; changeSet = $ChangeSet }))
}

function Find-IisFtpsCertificate {
    <# The certificate with that thumbprint in LocalMachine\StoreName (default: My, then WebHosting), or $null. #>
    param([Parameter(Mandatory)] [string] $Thumbprint, [string] $StoreName)
    $storeValue = $null
    if ($StoreName) { $storeValue = $StoreName }
    $dir = $null
    if ($env:IIS_FTPS_CERT_STORE_DIR) { $dir = $env:IIS_FTPS_CERT_STORE_DIR }
    return (Invoke-IisFtpsEngine -Request ([ordered]@{ op = 'findCertificate'; thumbprint = $Thumbprint; storeName = $storeValue; certStoreDir = $dir }))
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

# ---- the request loop of the Node backend ---------------------------------------------------------

function Write-IisFtpsBridgeAnswer {
    <# Writes one answer line to stdout: the prefix and base64 of the UTF-8 JSON answer. #>
    param([Parameter(Mandatory)] [string] $Json)
    [Console]::Out.WriteLine('IISFTPS:' + [System.Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($Json)))
}

function Invoke-IisFtpsBridgeRequest {
    <#
    The backend's entry point for engine requests: takes the request as base64 of UTF-8 JSON (so no
    request text is ever PowerShell source), hands the JSON to the engine as it is, and writes the
    engine's answer. Never throws.
    #>
    param([Parameter(Mandatory)] [string] $RequestBase64)
    try {
        $json = [System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String($RequestBase64))
        Import-IisFtpsEngine
        $out = [IisFtps.Engine.Engine]::Handle($json)
    } catch {
        $out = ConvertTo-IisFtpsJson ([ordered]@{ ok = $false; pid = $PID; error = (Get-IisFtpsErrorInfo $_) })
    }
    Write-IisFtpsBridgeAnswer -Json $out
}

function Invoke-IisFtpsBridgePing {
    <# The backend's ping: which PowerShell answers, after waiting delayMs (for checking time-outs). Never throws. #>
    param([Parameter(Mandatory)] [string] $RequestBase64)
    try {
        $request = ConvertFrom-IisFtpsJson -Json ([System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String($RequestBase64)))
        $delay = [int](Get-IisFtpsProperty $request 'delayMs' 0)
        if ($delay -gt 0) { Start-Sleep -Milliseconds $delay }
        $result = [ordered]@{ psVersion = $PSVersionTable.PSVersion.ToString(); psEdition = [string](Get-IisFtpsProperty $PSVersionTable 'PSEdition' 'Desktop') }
        $out = ConvertTo-IisFtpsJson ([ordered]@{ ok = $true; pid = $PID; result = $result })
    } catch {
        $out = ConvertTo-IisFtpsJson ([ordered]@{ ok = $false; pid = $PID; error = (Get-IisFtpsErrorInfo $_) })
    }
    Write-IisFtpsBridgeAnswer -Json $out
}
