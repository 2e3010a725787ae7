# A desired state, as 'iis-ftps apply --desired' reads it:
#
#   @{ siteDefaults = @{ SETTING = VALUE }; sites = @{ 'SITE NAME' = @{ SETTING = VALUE } } }
#
# A value sets the setting at that level, $null makes it inherit (nothing set there), and a
# setting left out is not managed. Set-IisFtpsSetting -DesiredState applies one in one commit;
# Test-IisFtpsSetting -DesiredState reports how a configuration differs from one (its drift).
# Settings are named as in the schema (clientCertificatePolicy) or as the cmdlets name them
# (ClientCertificatePolicy); values are checked as the cmdlets check them.

function Get-IisFtpsEntry {
    <# The name/value pairs of a hashtable or of an object from ConvertFrom-Json, in their order. #>
    param([Parameter(Mandatory)] $InputObject)
    if ($InputObject -is [System.Collections.IDictionary]) {
        foreach ($k in $InputObject.Keys) { @{ Name = [string]$k; Value = $InputObject[$k] } }
    } else {
        foreach ($p in $InputObject.PSObject.Properties) { @{ Name = $p.Name; Value = $p.Value } }
    }
}

function Test-IisFtpsRecord {
    <# Whether a value is a record (a hashtable or an object from ConvertFrom-Json), not a text, number or list. #>
    param([AllowNull()] $Value)
    return ($Value -is [System.Collections.IDictionary] -or $Value -is [System.Management.Automation.PSCustomObject])
}

function New-IisFtpsDesiredStateError {
    <# INVALID_DESIRED_STATE in the words of src/schema/validate.ts (schema.json's messages.invalidDesiredState). #>
    param([Parameter(Mandatory)] [string] $Where, [Parameter(Mandatory)] [string] $Reason)
    $text = Format-IisFtpsTemplate -Template (Get-IisFtpsSchema).messages.invalidDesiredState -Vars @{ where = $Where; reason = $Reason }
    return (New-IisFtpsException -Code INVALID_DESIRED_STATE -Message $text)
}

function Read-IisFtpsDesiredStateFile {
    <# A desired-state JSON file as an object; FILE_READ or INVALID_DESIRED_STATE naming the file. #>
    param([Parameter(Mandatory)] [string] $Path)
    try {
        $text = [System.IO.File]::ReadAllText($Path, [System.Text.Encoding]::UTF8)
    } catch {
        throw (New-IisFtpsException -Code FILE_READ -Message ('Cannot read the desired state {0}: {1}' -f $Path, (Get-IisFtpsInnermostException $_.Exception).Message))
    }
    try {
        return (ConvertFrom-Json -InputObject $text.TrimStart([char]0xFEFF))
    } catch {
        throw (New-IisFtpsException -Code INVALID_DESIRED_STATE -Message ('{0} is not valid JSON: {1}' -f $Path, $_.Exception.Message))
    }
}

function ConvertTo-IisFtpsDesiredRequest {
    <#
    The requests of a desired state (given as a hashtable, an object, or the path of a JSON file):
    one per level, New-IisFtpsTarget's shape plus values (schema setting name -> canonical value,
    or $null to inherit), siteDefaults first. Every level and value is checked before anything is
    read; an error names where it is (siteDefaults, sites["NAME"]).
    #>
    param([AllowNull()] $InputObject, [System.Management.Automation.PSCmdlet] $Cmdlet)
    $doc = $InputObject
    if ($doc -is [string]) {
        $path = $(if ($null -ne $Cmdlet) { $Cmdlet.GetUnresolvedProviderPathFromPSPath($doc) } else { [System.IO.Path]::GetFullPath($doc) })
        $doc = Read-IisFtpsDesiredStateFile -Path $path
    }
    if (-not (Test-IisFtpsRecord $doc)) {
        throw (New-IisFtpsDesiredStateError -Where 'the document' -Reason ('expected a hashtable or an object, got {0}' -f $(if ($null -eq $doc) { 'nothing' } else { $doc.GetType().Name })))
    }
    $levels = New-Object System.Collections.Generic.List[object]
    $siteLevels = New-Object System.Collections.Generic.List[object]
    foreach ($top in @(Get-IisFtpsEntry $doc)) {
        switch ($top.Name) {
            '$schema' { continue }
            'siteDefaults' { $levels.Add(@{ where = 'siteDefaults'; target = (New-IisFtpsTarget -SiteDefaults); raw = $top.Value }) }
            'sites' {
                if (-not (Test-IisFtpsRecord $top.Value)) { throw (New-IisFtpsDesiredStateError -Where 'sites' -Reason 'expected a record of site name -> settings') }
                foreach ($site in @(Get-IisFtpsEntry $top.Value)) {
                    if ([string]::IsNullOrEmpty($site.Name)) { throw (New-IisFtpsDesiredStateError -Where 'sites' -Reason 'a site name is empty') }
                    $siteLevels.Add(@{ where = ('sites["{0}"]' -f $site.Name); target = (New-IisFtpsTarget -SiteName $site.Name); raw = $site.Value })
                }
            }
            default { throw (New-IisFtpsDesiredStateError -Where 'the document' -Reason ('unknown key "{0}"; the keys are siteDefaults and sites' -f $top.Name)) }
        }
    }
    $levels.AddRange($siteLevels)
    $requests = [ordered]@{}
    foreach ($level in $levels) {
        if (-not (Test-IisFtpsRecord $level.raw)) { throw (New-IisFtpsDesiredStateError -Where $level.where -Reason 'expected a record of setting -> value') }
        if ($requests.Contains($level.target.key)) { throw (New-IisFtpsDesiredStateError -Where $level.where -Reason 'this site is named twice (site names are compared without regard to case)') }
        $given = @{}
        foreach ($e in @(Get-IisFtpsEntry $level.raw)) {
            try {
                $def = Get-IisFtpsSettingDef -Name $e.Name
                if ($given.ContainsKey($def.name)) { throw (New-IisFtpsException -Code INVALID_DESIRED_STATE -Message ('{0} is named twice' -f $def.name)) }
                $given[$def.name] = $(if ($null -eq $e.Value) { $null } else { ConvertTo-IisFtpsCanonicalValue -Def $def -InputObject (Get-IisFtpsParameterValue $e.Value) })
            } catch {
                $info = Get-IisFtpsErrorInfo $_
                throw (New-IisFtpsException -Code $info.code -Message ('{0}: {1}' -f $level.where, $info.message))
            }
        }
        # In schema order, as the TypeScript side reports them.
        $values = [ordered]@{}
        foreach ($def in Get-IisFtpsSettingDef) { if ($given.ContainsKey($def.name)) { $values[$def.name] = $given[$def.name] } }
        $requests[$level.target.key] = $level.target + @{ values = $values }
    }
    return , @($requests.Values)
}

function ConvertTo-IisFtpsDesiredStateTable {
    <# Checked requests as a desired-state hashtable again (for another server: canonical values, plain data that survives remoting). #>
    param([Parameter(Mandatory)] [AllowEmptyCollection()] [object[]] $Requests)
    $desired = @{}
    $sites = @{}
    foreach ($req in $Requests) {
        $values = @{}
        foreach ($k in $req.values.Keys) { $values[$k] = $req.values[$k] }
        if ($req.level -eq 'siteDefaults') { $desired['siteDefaults'] = $values } else { $sites[$req.name] = $values }
    }
    if ($sites.Count -gt 0) { $desired['sites'] = $sites }
    return $desired
}

function Get-IisFtpsDrift {
    <#
    How one level differs from what a request wants: @{ target (identity); differences }, each
    difference @{ setting; actual; desired; problem } where actual is what the level sets itself
    ($null: it inherits) and problem says why a stored value cannot be read (such a value never
    counts as desired).
    #>
    param([Parameter(Mandatory)] $Request, [string] $ConfigPath)
    $actual = Get-IisFtpsDscActual -Target $Request -ConfigPath $ConfigPath
    $differences = New-Object System.Collections.Generic.List[object]
    foreach ($name in $Request.values.Keys) {
        $want = $Request.values[$name]
        $have = $actual.values[$name]
        $problem = $(if ($actual.problems.Contains($name)) { [string]$actual.problems[$name] } else { $null })
        if ($null -ne $problem -or -not (Test-IisFtpsSameValue $have $want)) {
            $differences.Add(@{ setting = $name; actual = $have; desired = $want; problem = $problem })
        }
    }
    return @{ target = $actual.target; differences = $differences.ToArray() }
}

function Format-IisFtpsDriftLine {
    <# A difference as people read it: 'site "X" (id 2): clientCertificatePolicy is CertAllow, should be CertRequire'. #>
    param([Parameter(Mandatory)] [string] $Label, [Parameter(Mandatory)] $Difference)
    $is = $(if ($null -ne $Difference.problem) { 'an invalid stored value' } elseif ($null -eq $Difference.actual) { '(not set)' } else { Format-IisFtpsShownValue $Difference.actual })
    $should = $(if ($null -eq $Difference.desired) { '(inherit)' } else { Format-IisFtpsShownValue $Difference.desired })
    return ('{0}: {1} is {2}, should be {3}' -f $Label, $Difference.setting, $is, $should)
}
