# The doctor's rules for the ServerManager path: every rule of src/doctor/rules.ts, as data in
# schema.json (doctorRules: cases of conditions on the settings and on the context, each with a
# message template), checked by one generic routine. The context is the level checked and the
# bound certificate as the machine's store has it (seen on live IIS only: Certificates.ps1).

function Get-IisFtpsDoctorRule {
    <# The doctor's rules, from schema.json, in the order the CLI reports them. #>
    return @((Get-IisFtpsSchema).doctorRules)
}

function ConvertTo-IisFtpsJsString {
    <# A value as JavaScript's String() writes it into a message: null, true/false, lists joined by commas. #>
    param($Value)
    if ($null -eq $Value) { return 'null' }
    if ($Value -is [bool]) { if ($Value) { return 'true' } else { return 'false' } }
    if ($Value -is [string]) { return $Value }
    if (Test-IisFtpsNumber $Value) { return (ConvertTo-IisFtpsJsNumberText $Value) }
    if (Test-IisFtpsList $Value) { return (@($Value | ForEach-Object { ConvertTo-IisFtpsJsString $_ }) -join ',') }
    return [string]$Value
}

function Get-IisFtpsDoctorProblem {
    <# The stored values that cannot be read, each as schema.json's doctor.problemList.item words it. #>
    param([Parameter(Mandatory)] $Settings)
    $item = (Get-IisFtpsSchema).doctor.problemList.item
    foreach ($el in $Settings.Keys) {
        foreach ($a in $Settings[$el].Keys) {
            $e = $Settings[$el][$a]
            $problem = Get-IisFtpsProperty $e 'problem'
            if ($null -ne $problem -and ([string]$problem).Length -gt 0) {
                Format-IisFtpsTemplate -Template $item -Vars @{ element = $el; attribute = $a; source = (Get-IisFtpsProperty $e 'source'); problem = $problem }
            }
        }
    }
}

function Get-IisFtpsEffectiveValue {
    <# A setting's effective value in element -> attribute -> { value, ... }, by setting name. #>
    param([Parameter(Mandatory)] $Settings, [Parameter(Mandatory)] [string] $Setting)
    $def = Get-IisFtpsSettingDef -Name $Setting
    return (Get-IisFtpsProperty (Get-IisFtpsProperty (Get-IisFtpsProperty $Settings $def.element) $def.attribute) 'value')
}

function Test-IisFtpsDoctorCondition {
    <#
    Whether one condition of a rule holds: on a setting, equals / notEquals (strict: same type and
    value), oneOf (one of the texts), includes (a list with that name), isEmpty (null or empty
    text); problems (any stored value that cannot be read); on the context (-Context of
    Get-IisFtpsDoctorFinding), ftpSite, certificateMissing, certificateUnusable,
    certificateExpiresSoon. As src/doctor/rules.ts.
    #>
    param([Parameter(Mandatory)] $Condition, [Parameter(Mandatory)] $Settings, [Parameter(Mandatory)] [hashtable] $Context)
    $has = { param([string] $Name) $null -ne $Condition.PSObject.Properties[$Name] }
    if (& $has 'problems') { return (@(Get-IisFtpsDoctorProblem -Settings $Settings).Count -gt 0) }
    if (& $has 'context') {
        switch ([string]$Condition.context) {
            'ftpSite' { return [bool]$Context.ftpSite }
            'certificateMissing' { return ($Context.certificateSeen -and $null -eq $Context.certificate) }
            'certificateUnusable' { return (@(Get-IisFtpsContextCertificateProblem -Context $Context).Count -gt 0) }
            'certificateExpiresSoon' {
                $left = Get-IisFtpsCertificateDaysLeft -Context $Context
                return ($null -ne $left -and $left -ge 0 -and $left -lt [int](Get-IisFtpsSchema).doctor.expiryWarningDays)
            }
        }
    } else {
        $v = Get-IisFtpsEffectiveValue -Settings $Settings -Setting $Condition.setting
        $same = {
            param($A, $B)
            if ($null -eq $A -or $null -eq $B) { return ($null -eq $A -and $null -eq $B) }
            if ($A -is [bool] -or $B -is [bool]) { return ($A -is [bool] -and $B -is [bool] -and $A -eq $B) }
            if ($A -is [string] -or $B -is [string]) { return ($A -is [string] -and $B -is [string] -and (Test-IisFtpsSameText $A $B)) }
            return $false
        }
        if (& $has 'equals') { return [bool](& $same $v $Condition.equals) }
        if (& $has 'notEquals') { return -not (& $same $v $Condition.notEquals) }
        if (& $has 'oneOf') { return ($v -is [string] -and @(@($Condition.oneOf) | Where-Object { Test-IisFtpsSameText $v $_ }).Count -gt 0) }
        # PowerShell hands a one-element list back as its element: a single name is a list of one here.
        if (& $has 'includes') { return ($null -ne $v -and @(@($v) | Where-Object { $_ -is [string] -and (Test-IisFtpsSameText $_ $Condition.includes) }).Count -gt 0) }
        if (& $has 'isEmpty') { return ((($null -eq $v) -or ($v -is [string] -and $v.Length -eq 0)) -eq [bool]$Condition.isEmpty) }
    }
    throw (New-IisFtpsException -Code BACKEND_FAILED -Message ("The module's schema.json has a doctor condition this module does not know ({0}); reinstall the module." -f (ConvertTo-IisFtpsJson $Condition)))
}

function Get-IisFtpsContextCertificateProblem {
    <# What Get-IisFtpsCertificateProblem (judgeCertificate) finds in the context's certificate; nothing without one. #>
    param([Parameter(Mandatory)] [hashtable] $Context)
    if ($null -eq $Context.certificate) { return }
    Get-IisFtpsCertificateProblem -Certificate $Context.certificate
}

function Get-IisFtpsCertificateDaysLeft {
    <# Whole days until the context's certificate ends (as daysLeft of src/certificates/judge.ts), or $null without one. #>
    param([Parameter(Mandatory)] [hashtable] $Context)
    if ($null -eq $Context.certificate) { return $null }
    $end = ConvertTo-IisFtpsUtcDate $Context.certificate.notAfter
    if ($null -eq $end) { return $null }
    return [int][math]::Floor(($end - [datetime]::UtcNow).TotalMilliseconds / 86400000)
}

function Get-IisFtpsDoctorPlaceholder {
    <# The text of one placeholder of a rule's message (src/doctor/rules.ts, placeholder). #>
    param([Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] $Settings, [Parameter(Mandatory)] [hashtable] $Context)
    $doctor = (Get-IisFtpsSchema).doctor
    switch ($Name) {
        'problems' { return (@(Get-IisFtpsDoctorProblem -Settings $Settings) -join $doctor.problemList.separator) }
        'certificateProblems' {
            return (@(Get-IisFtpsContextCertificateProblem -Context $Context | ForEach-Object { Format-IisFtpsTemplate -Template $doctor.certificateProblemList.item -Vars @{ message = $_.message; code = $_.code } }) -join $doctor.certificateProblemList.separator)
        }
        'certificateThumbprint' { return (ConvertTo-IisFtpsJsString (Get-IisFtpsProperty $Context.certificate 'thumbprint')) }
        'certificateNotAfter' { return (Format-IisFtpsIsoDate (Get-IisFtpsProperty $Context.certificate 'notAfter')) }
        'certificateDaysLeft' { return (ConvertTo-IisFtpsJsString (Get-IisFtpsCertificateDaysLeft -Context $Context)) }
        default { return (ConvertTo-IisFtpsJsString (Get-IisFtpsEffectiveValue -Settings $Settings -Setting $Name)) }
    }
}

function Get-IisFtpsDoctorFinding {
    <#
    The broken rules for one level's effective settings (element -> attribute -> { value, source, problem? }),
    from schema.json's doctorRules: a rule is broken when every condition of one of its cases
    holds, with the message of the first such case. -Target is the level's identity ({ level;
    name; id; protocols }); -ConfigPath says whether the machine's certificate store is looked at
    (live IIS only).
    #>
    param([Parameter(Mandatory)] $Settings, $Target, [string] $ConfigPath)
    $hash = [string](Get-IisFtpsEffectiveValue -Settings $Settings -Setting 'serverCertHash')
    $context = @{
        # As src/doctor/rules.ts: a level is a site unless told otherwise, with FTP unless its bindings say not.
        ftpSite         = $null -eq $Target -or ((Get-IisFtpsProperty $Target 'level') -ne 'siteDefaults' -and @(Get-IisFtpsProperty $Target 'protocols') -contains 'ftp')
        certificate     = $null
        certificateSeen = $false
    }
    if ($hash -and (Test-IisFtpsCertificateStoreVisible -ConfigPath $ConfigPath)) {
        $context.certificateSeen = $true
        $context.certificate = Get-IisFtpsStoreCertificate -Thumbprint $hash -StoreName ([string](Get-IisFtpsEffectiveValue -Settings $Settings -Setting 'serverCertStoreName'))
    }
    foreach ($rule in Get-IisFtpsDoctorRule) {
        foreach ($case in @($rule.cases)) {
            $holds = $true
            foreach ($c in @($case.when)) { if (-not (Test-IisFtpsDoctorCondition -Condition $c -Settings $Settings -Context $context)) { $holds = $false; break } }
            if (-not $holds) { continue }
            $message = [regex]::Replace([string]$case.message, '\{(\w+)\}', { param($m) Get-IisFtpsDoctorPlaceholder -Name $m.Groups[1].Value -Settings $Settings -Context $context })
            [pscustomobject][ordered]@{ rule = [string]$rule.id; severity = [string]$rule.severity; message = $message }
            break
        }
    }
}
