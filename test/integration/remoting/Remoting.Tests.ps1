# Pester tests of the module's fan-out through PowerShell remoting over SSH, against real sshd
# processes on loopback ports started by ssh.test.ts (test/support/sshd.ts). IIS_FTPS_TEST_SSH
# describes them: { user, key, knownHosts, unreachablePort, servers: [{ name, port, home, config,
# hasModule }] }. Each server's own configuration is ~/applicationHost.config there (its HOME).

BeforeAll {
    $script:Repo = (Resolve-Path (Join-Path $PSScriptRoot '../../..')).Path
    Import-Module (Join-Path $Repo 'Manifest.psd1') -Force
    $script:Ssh = $env:IIS_FTPS_TEST_SSH | ConvertFrom-Json
    $script:Ready = @($Ssh.servers | Where-Object hasModule)
    $script:NoModule = @($Ssh.servers | Where-Object { -not $_.hasModule })
    $script:Remote = @{
        UserName    = $Ssh.user
        KeyFilePath = $Ssh.key
        SSHOption   = @{ StrictHostKeyChecking = 'yes'; UserKnownHostsFile = $Ssh.knownHosts }
        ConfigPath  = '~/applicationHost.config'
    }
    function script:HostOf($Server) { return ('127.0.0.1:{0}' -f $Server.port) }
    function script:Get-FileState([string] $Path) {
        $item = Get-Item -LiteralPath $Path
        return [pscustomobject]@{ hash = (Get-FileHash -LiteralPath $Path -Algorithm SHA256).Hash; mtime = $item.LastWriteTimeUtc.Ticks }
    }
    function script:Get-States { return @($Ssh.servers | ForEach-Object { Get-FileState $_.config }) }
    function script:Reset-Files { foreach ($s in $Ssh.servers) { Copy-Item -LiteralPath $env:IIS_FTPS_TEST_FIXTURE -Destination $s.config -Force } }
    # One PSSession per ready server, opened once for the tests that take -Session.
    $script:Sessions = @($Ready | ForEach-Object { New-PSSession -HostName (HostOf $_) -UserName $Ssh.user -KeyFilePath $Ssh.key -Options $Remote.SSHOption -ErrorAction Stop })
}

AfterAll {
    if ($script:Sessions) { $script:Sessions | Remove-PSSession }
}

Describe 'Fan-out over SSH to stand-in servers' {
    BeforeEach { Reset-Files }

    It 'reads each server''s own file, every result with PSComputerName' {
        # Make the servers differ, so a result shows whose file it read.
        $i = 0
        foreach ($s in $Ready) { $i++; (Get-Content -Raw -LiteralPath $s.config).Replace('revocationUrlRetrievalTimeout="00:00:30"', ('revocationUrlRetrievalTimeout="00:00:0{0}"' -f $i)) | Set-Content -LiteralPath $s.config -NoNewline }
        $r = @(Get-IisFtpsSetting -SiteName 'Partner Exchange' -HostName @($Ready | ForEach-Object { HostOf $_ }) @Remote)
        $r.Count | Should -Be $Ready.Count
        @($r | Sort-Object RevocationUrlRetrievalTimeout | ForEach-Object RevocationUrlRetrievalTimeout) | Should -Be @(1..$Ready.Count | ForEach-Object { '00:00:0{0}' -f $_ })
        foreach ($x in $r) {
            $x.PSComputerName | Should -Be '127.0.0.1'
            $x.PSObject.TypeNames[0] | Should -Be 'IisFtps.Setting'
            $x.ClientCertificatePolicy | Should -Be 'CertAllow'
        }
    }

    It 'sets every server in its own commit: one result per server, each with its changes' {
        $r = @('Partner Exchange', 'Public Drop' | Set-IisFtpsSetting -Session $Sessions -ClientCertificatePolicy CertRequire -ConfigPath $Remote.ConfigPath)
        $r.Count | Should -Be $Sessions.Count
        @($r.RunspaceId | Sort-Object) | Should -Be @($Sessions.InstanceId | Sort-Object)
        foreach ($x in $r) {
            $x.PSObject.TypeNames[0] | Should -Be 'IisFtps.ServerResult'
            $x.Succeeded | Should -BeTrue
            $x.WhatIf | Should -BeFalse
            @($x.Changes) | Should -Be @('site "Partner Exchange" (id 3): clientCertificatePolicy: CertAllow -> CertRequire', 'site "Public Drop" (id 2): clientCertificatePolicy: (not set) -> CertRequire')
            $x.PSComputerName | Should -Be '127.0.0.1'
        }
        foreach ($s in $Ready) {
            $text = Get-Content -Raw -LiteralPath $s.config
            ([regex]::Matches($text, 'clientCertificatePolicy="CertRequire"')).Count | Should -Be 2 -Because $s.name
        }
    }

    It '-WhatIf reports per server and writes nothing on any' {
        $before = Get-States
        $r = @(Set-IisFtpsSetting -SiteDefaults -Session $Sessions -ValidationFlags NoRevocationCheck -ConfigPath $Remote.ConfigPath -WhatIf)
        $r.Count | Should -Be $Sessions.Count
        foreach ($x in $r) {
            $x.Succeeded | Should -BeTrue
            $x.WhatIf | Should -BeTrue
            @($x.Changes) | Should -Be @('siteDefaults: validationFlags: (not set) -> NoRevocationCheck')
        }
        $after = Get-States
        for ($i = 0; $i -lt $before.Count; $i++) {
            $after[$i].hash | Should -Be $before[$i].hash
            $after[$i].mtime | Should -Be $before[$i].mtime
        }
    }

    It 'a rerun changes nothing and writes nothing' {
        $null = Set-IisFtpsSetting -SiteName 'Public Drop' -Session $Sessions -Ssl128 $true -ConfigPath $Remote.ConfigPath
        $before = Get-States
        $r = @(Set-IisFtpsSetting -SiteName 'Public Drop' -Session $Sessions -Ssl128 $true -ConfigPath $Remote.ConfigPath)
        foreach ($x in $r) {
            $x.Succeeded | Should -BeTrue
            @($x.Changes).Count | Should -Be 0
        }
        $after = Get-States
        for ($i = 0; $i -lt $before.Count; $i++) {
            $after[$i].hash | Should -Be $before[$i].hash
            $after[$i].mtime | Should -Be $before[$i].mtime
        }
    }

    It 'one unreachable server and one with a broken file fail alone; the rest commit' {
        $broken = $Ready[-1]
        Set-Content -LiteralPath $broken.config -Value '<configuration><system.applicationHost><sites>' -NoNewline
        $brokenBefore = Get-FileState $broken.config
        $hosts = @($Ready | ForEach-Object { HostOf $_ }) + @('127.0.0.1:{0}' -f $Ssh.unreachablePort)
        $r = @(Reset-IisFtpsSetting -SiteName 'Partner Exchange' -Setting RevocationUrlRetrievalTimeout -HostName $hosts @Remote -ThrottleLimit 2 -ErrorVariable errs -ErrorAction SilentlyContinue)
        $r.Count | Should -Be $hosts.Count
        @($r | Where-Object Succeeded).Count | Should -Be ($Ready.Count - 1)
        @($r | Where-Object { -not $_.Succeeded } | ForEach-Object ErrorCode | Sort-Object) | Should -Be @('BACKEND_UNAVAILABLE', 'XML_MALFORMED')
        @($errs | Where-Object { $_.FullyQualifiedErrorId -like '*,Reset-IisFtpsSetting' }).Count | Should -Be 2
        ($r | Where-Object ErrorCode -eq 'BACKEND_UNAVAILABLE').Error | Should -Match 'Cannot run Reset-IisFtpsSetting on'
        foreach ($s in $Ready | Select-Object -First ($Ready.Count - 1)) {
            (Get-Content -Raw -LiteralPath $s.config) | Should -Not -Match 'revocationUrlRetrievalTimeout=' -Because "$($s.name) committed"
        }
        (Get-FileState $broken.config).hash | Should -Be $brokenBefore.hash
    }

    It 'says when the module is missing on a server, and how to put it there' {
        $NoModule.Count | Should -BeGreaterThan 0
        $r = @(Set-IisFtpsSetting -SiteDefaults -Ssl128 $true -HostName @((HostOf $NoModule[0]), (HostOf $Ready[0])) @Remote -ErrorAction SilentlyContinue)
        $missing = @($r | Where-Object { -not $_.Succeeded })
        $missing.Count | Should -Be 1
        $missing[0].ErrorCode | Should -Be 'BACKEND_UNAVAILABLE'
        $missing[0].Error | Should -Match 'The IisFtps module is not installed on'
        $missing[0].Error | Should -Match 'Install-PSResource IisFtps'
        $missing[0].Error | Should -Match 'Copy-Item -ToSession'
        (Get-Content -Raw -LiteralPath $NoModule[0].config) | Should -Not -Match 'ssl128='
        (Get-Content -Raw -LiteralPath $Ready[0].config) | Should -Match 'ssl128="true"'
    }

    It 'checks every server with Test-IisFtpsSetting, findings with PSComputerName' {
        $null = Set-IisFtpsSetting -SiteName 'Public Drop' -Session $Sessions[0] -ClientCertAuthentication $true -ConfigPath $Remote.ConfigPath
        $f = @(Test-IisFtpsSetting -SiteName 'Public Drop' -Session $Sessions -ConfigPath $Remote.ConfigPath)
        # The client-certificate rules the set above breaks (every stand-in also lacks a server certificate).
        $errors = @($f | Where-Object { $_.Severity -eq 'error' -and $_.Rule -like 'cca-*' })
        @($errors.RunspaceId | Sort-Object -Unique) | Should -Be @($Sessions[0].InstanceId)
        $errors[0].PSObject.TypeNames[0] | Should -Be 'IisFtps.Finding'
        $errors[0].PSComputerName | Should -Be '127.0.0.1'
    }

    It 'gives a drift report per server against one desired state file, read here; after applying it, none drifts' {
        # One server differs from the others before the test.
        (Get-Content -Raw -LiteralPath $Ready[0].config).Replace('clientCertificatePolicy="CertAllow"', 'clientCertificatePolicy="CertRequire"') | Set-Content -LiteralPath $Ready[0].config -NoNewline
        $file = Join-Path $TestDrive 'baseline.json'
        Set-Content -LiteralPath $file -Value '{ "siteDefaults": { "controlChannelPolicy": "SslRequire" }, "sites": { "Partner Exchange": { "clientCertificatePolicy": "CertRequire" } } }'
        $before = Get-States
        $hosts = @($Ready | ForEach-Object { HostOf $_ })
        $drift = @(Test-IisFtpsSetting -DesiredState $file -HostName $hosts @Remote)
        $after = Get-States
        for ($i = 0; $i -lt $before.Count; $i++) { $after[$i].hash | Should -Be $before[$i].hash }
        foreach ($d in $drift) {
            $d.PSObject.TypeNames[0] | Should -Be 'IisFtps.Drift'
            $d.PSComputerName | Should -Be '127.0.0.1'
        }
        # Per server (RunspaceId): siteDefaults' controlChannelPolicy everywhere, the site's policy on all but the first.
        $byServer = @($drift | Group-Object RunspaceId)
        $byServer.Count | Should -Be $Ready.Count
        @($byServer | ForEach-Object { $_.Count } | Sort-Object) | Should -Be (@(1) + @(2..$Ready.Count | ForEach-Object { 2 }))
        @($drift | Where-Object Setting -eq 'controlChannelPolicy').Count | Should -Be $Ready.Count
        ($drift | Where-Object Setting -eq 'clientCertificatePolicy' | Select-Object -First 1).Actual | Should -Be 'CertAllow'

        $r = @(Set-IisFtpsSetting -DesiredState $file -HostName $hosts @Remote)
        $r.Count | Should -Be $Ready.Count
        @($r | ForEach-Object { @($_.Changes).Count } | Sort-Object) | Should -Be (@(1) + @(2..$Ready.Count | ForEach-Object { 2 }))
        foreach ($x in $r) { $x.Succeeded | Should -BeTrue }
        @(Test-IisFtpsSetting -DesiredState $file -HostName $hosts @Remote).Count | Should -Be 0
    }

    It 'refuses an invalid desired state before contacting any server' {
        { Test-IisFtpsSetting -DesiredState @{ sites = @{ 'Partner Exchange' = @{ clientCertificatePolicy = 'Sometimes' } } } -HostName '127.0.0.1:1' -ErrorAction Stop } | Should -Throw -ErrorId 'INVALID_VALUE,Test-IisFtpsSetting'
        { Set-IisFtpsSetting -DesiredState @{ nope = @{} } -HostName '127.0.0.1:1' -ErrorAction Stop } | Should -Throw -ErrorId 'INVALID_DESIRED_STATE,Set-IisFtpsSetting'
    }

    It 'tells a server that accepts no connection before starting ssh for it, the host and port as ssh would use them' {
        $module = Get-Module -Name Manifest
        & $module { param($h, $o) Test-IisFtpsSshConnect -HostName $h -Options $o } ('{0}@{1}' -f $Ssh.user, (HostOf $Ready[0])) $Remote.SSHOption | Should -BeNullOrEmpty
        $why = & $module { param($h) Test-IisFtpsSshConnect -HostName $h } ('127.0.0.1:{0}' -f $Ssh.unreachablePort)
        $why | Should -Match ('127\.0\.0\.1 port {0} accepts no connection' -f $Ssh.unreachablePort)
        # Several servers at once: one answer each, in order.
        $both = @(& $module { param($h, $o) Test-IisFtpsSshConnect -HostName $h -Options $o } @(('{0}@{1}' -f $Ssh.user, (HostOf $Ready[0])), ('127.0.0.1:{0}' -f $Ssh.unreachablePort)) $Remote.SSHOption)
        $both.Count | Should -Be 2
        $both[0] | Should -BeNullOrEmpty
        $both[1] | Should -Match 'accepts no connection'
        # -Port applies where the name carries none; a name that looks like an option stays a name.
        & $module { param($p) Test-IisFtpsSshConnect -HostName '127.0.0.1' -Port $p } $Ssh.unreachablePort | Should -Match 'accepts no connection'
        & $module { Test-IisFtpsSshConnect -HostName '-oProxyCommand=touch /tmp/iis-ftps-never' } | Out-Null
        Test-Path -LiteralPath '/tmp/iis-ftps-never' | Should -BeFalse
    }

    It 'refuses two ways of naming servers at once, before contacting any' {
        { Get-IisFtpsSetting -SiteDefaults -HostName 'a' -Session $Sessions -ErrorAction Stop } | Should -Throw -ErrorId 'USAGE,Get-IisFtpsSetting'
        { Get-IisFtpsSetting -SiteDefaults -ComputerName 'a' -KeyFilePath 'k' -ErrorAction Stop } | Should -Throw '*-KeyFilePath goes with -HostName*'
    }
}
