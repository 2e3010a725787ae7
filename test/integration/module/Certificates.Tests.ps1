# Pester tests of certificate renewal in the PowerShell module (Update-IisFtpsCertificate, the
# certificate checks, the recipes of docs/certificate-renewal.md), run by certificates.test.ts with:
#   IIS_FTPS_TEST_MWA          the Microsoft.Web.Administration test double (the ServerManager path)
#   IIS_FTPS_CLI               cli-counter.mjs (the Node CLI path), NODE_OPTIONS with tsx's loader
#   IIS_FTPS_TEST_RENEWAL      the renewal configuration (test/support/renewal.ts; copied per test)
#   IIS_FTPS_TEST_CERT_PEM     a certificate made for the run (openssl), and IIS_FTPS_TEST_CERT_DER the same as DER
#   IIS_FTPS_TEST_JUDGE_CASES  certificates with the problems src/certificates/judge.ts finds in them

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'Certificate renewal through <_>' -ForEach @('ServerManager', 'NodeCli') {
    BeforeAll {
        $script:Kind = $_
        $script:Old = '1111111111111111111111111111111111111111'
        $script:New = 'ABCDEF0123456789ABCDEF0123456789ABCDEF01'
        $script:Third = '3333333333333333333333333333333333333333'
        # Results are read back through ServerManager (in-process, and independent of the path under test).
        function script:Get-Own([string] $Config, [string] $Site) {
            Use-Backend 'ServerManager'
            try {
                if ($Site) { $r = Get-IisFtpsSetting -SiteName $Site -ConfigPath $Config } else { $r = Get-IisFtpsSetting -SiteDefaults -ConfigPath $Config }
            } finally { Use-Backend $script:Kind }
            return @{ hash = $r.ServerCertHash; hashSource = $r.Source.serverCertHash; store = $r.ServerCertStoreName; storeSource = $r.Source.serverCertStoreName }
        }
    }
    BeforeEach {
        Use-Backend $Kind
        $script:Config = New-TestConfig $env:IIS_FTPS_TEST_RENEWAL
        $script:Log = Join-Path $TestDrive ('cli-{0}.log' -f [guid]::NewGuid().ToString('n'))
        $env:IIS_FTPS_TEST_CLI_LOG = $Log
    }
    AfterEach { Remove-Item Env:IIS_FTPS_TEST_CLI_LOG -ErrorAction SilentlyContinue }

    It 'replaces OLD in siteDefaults, the FTP-only and the mixed site (hash and store), leaves the third, lists it, one commit; a rerun writes nothing' {
        if ($Kind -eq 'ServerManager') {
            $global:IisFtpsTestChangeSet = & (Get-Module $ModuleName) { ${function:Invoke-IisFtpsChangeSet} }
            Mock -ModuleName $ModuleName Invoke-IisFtpsChangeSet { & $global:IisFtpsTestChangeSet -ChangeSet $ChangeSet -ConfigPath $ConfigPath }
        }
        $r = Update-IisFtpsCertificate -OldThumbprint ("`u{200E}" + ($Old -replace '(..)(?!$)', '$1 ')) -NewThumbprint $New.ToLowerInvariant() -StoreName WebHosting -ConfigPath $Config -WarningVariable warnings -WarningAction SilentlyContinue
        $r.PSObject.TypeNames[0] | Should -Be 'IisFtps.CertificateRotation'
        $r.Status | Should -Be 'rotated'
        $r.Written | Should -BeTrue
        $r.NewThumbprint | Should -Be $New
        @($r.Changed.Target) | Should -Be @('siteDefaults', 'site "ftp-only" (id 2)', 'site "Mixed Web and FTP" (id 3)')
        @($r.Unrelated.SiteName) | Should -Be @('Other Customer')
        @($r.Unrelated.ServerCertHash) | Should -Be @($Third)
        ($warnings | Out-String) | Should -Match 'site "Other Customer" \(id 4\) uses neither the old nor the new certificate'
        if ($Kind -eq 'ServerManager') { Should -Invoke -ModuleName $ModuleName Invoke-IisFtpsChangeSet -Times 1 -Exactly }
        else { @(Get-Content -LiteralPath $Log | Where-Object { $_.StartsWith('["rotate-cert"') -and -not $_.Contains('"--what-if"') }).Count | Should -Be 1 }
        foreach ($site in @('', 'ftp-only', 'Mixed Web and FTP')) {
            $o = Get-Own $Config $site
            $o.hash | Should -Be $New -Because $site
            $o.store | Should -Be 'WebHosting' -Because $site
            $o.hashSource | Should -Be $(if ($site) { 'site' } else { 'siteDefaults' })
        }
        (Get-Own $Config 'Other Customer').hash | Should -Be $Third
        (Get-Own $Config 'Inherits').hashSource | Should -Be 'siteDefaults'
        (Get-Content -Raw -LiteralPath $Config) | Should -Not -Match $Old

        $before = Get-FileState $Config
        $again = Update-IisFtpsCertificate -OldThumbprint $Old -NewThumbprint $New -StoreName webhosting -ConfigPath $Config -WarningAction SilentlyContinue -Verbose 4>&1
        $result = @($again | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })[0]
        $result.Status | Should -Be 'already'
        $result.Written | Should -BeFalse
        ($again | Out-String) | Should -Match 'already in place'
        (Get-FileState $Config).hash | Should -Be $before.hash
        (Get-FileState $Config).mtime | Should -Be $before.mtime
    }

    It 'binds -NewThumbprint from a Posh-ACME certificate object and from an X509Certificate2 in the pipeline' {
        $pa = [pscustomobject]@{ PSTypeName = 'PoshACME.PACertificate'; Subject = 'CN=ftp.example.net'; NotBefore = (Get-Date).AddDays(-1); NotAfter = (Get-Date).AddDays(89); KeyLength = '2048'; Thumbprint = $New; AllSANs = @('ftp.example.net'); CertFile = 'cert.cer' }
        ($pa | Update-IisFtpsCertificate -OldThumbprint $Old -ConfigPath $Config -WarningAction SilentlyContinue).Status | Should -Be 'rotated'
        (Get-Own $Config 'ftp-only').hash | Should -Be $New
        $x509 = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2 -ArgumentList $env:IIS_FTPS_TEST_CERT_PEM
        $r = $x509 | Update-IisFtpsCertificate -OldThumbprint $New -ConfigPath $Config -WarningAction SilentlyContinue
        $r.NewThumbprint | Should -Be $x509.Thumbprint.ToUpperInvariant()
        (Get-Own $Config 'Mixed Web and FTP').hash | Should -Be $x509.Thumbprint.ToUpperInvariant()
    }

    It '-NewCertificatePath takes the thumbprint from a PEM or DER file, as the CLI''s --to-file does' {
        $x509 = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2 -ArgumentList $env:IIS_FTPS_TEST_CERT_DER
        $thumb = $x509.Thumbprint.ToUpperInvariant()
        $r = Update-IisFtpsCertificate -OldThumbprint $Old -NewCertificatePath $env:IIS_FTPS_TEST_CERT_PEM -ConfigPath $Config -WarningAction SilentlyContinue
        $r.Status | Should -Be 'rotated'
        $r.NewThumbprint | Should -Be $thumb
        (Get-Own $Config 'ftp-only').hash | Should -Be $thumb
        if ($Kind -eq 'NodeCli') { @(Get-Content -LiteralPath $Log | Where-Object { $_.Contains('"--to-file=') }).Count | Should -BeGreaterThan 0 }
        # The same file as DER: already in place.
        (Update-IisFtpsCertificate -OldThumbprint $Old -CertificatePath $env:IIS_FTPS_TEST_CERT_DER -ConfigPath $Config -WarningAction SilentlyContinue).Status | Should -Be 'already'
    }

    It '-NewCertificatePath refuses a certificate that fails a check (<name>) with its code, writing nothing, and a file that is no certificate' -ForEach @(
        @{ name = 'expired'; code = 'CERTIFICATE_EXPIRED' }, @{ name = 'client only'; code = 'CERTIFICATE_NOT_FOR_SERVER_AUTH' }
    ) {
        $file = (Get-Content -Raw -LiteralPath $env:IIS_FTPS_TEST_JUDGE_CASES | ConvertFrom-Json | Where-Object name -eq $name).file
        $before = Get-FileState $Config
        $err = $null
        try { Update-IisFtpsCertificate -OldThumbprint $Old -NewCertificatePath $file -ConfigPath $Config -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be "$code,Update-IisFtpsCertificate"
        $junk = Join-Path $TestDrive 'key.pem'
        Set-Content -LiteralPath $junk -Value "-----BEGIN PRIVATE KEY-----`nAAAA`n-----END PRIVATE KEY-----"
        $err = $null
        try { Update-IisFtpsCertificate -OldThumbprint $Old -NewCertificatePath $junk -ConfigPath $Config -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'CERTIFICATE_FILE_INVALID,Update-IisFtpsCertificate'
        $err.Exception.Message | Should -Match 'it holds a private key'
        (Get-FileState $Config).hash | Should -Be $before.hash
    }

    It '-WhatIf writes nothing and says what would change' {
        $before = Get-FileState $Config
        $r = Update-IisFtpsCertificate -OldThumbprint $Old -NewThumbprint $New -ConfigPath $Config -WhatIf -WarningAction SilentlyContinue
        $r.Status | Should -Be 'what-if'
        @($r.Changes).Count | Should -Be 5
        (Get-FileState $Config).hash | Should -Be $before.hash
        (Get-FileState $Config).mtime | Should -Be $before.mtime
    }

    It 'stops with OLD_CERTIFICATE_NOT_FOUND, writing nothing, when OLD is bound nowhere; with an unknown -AlsoSite, SITE_NOT_FOUND' {
        $before = Get-FileState $Config
        $err = $null
        try { Update-IisFtpsCertificate -OldThumbprint ('2' * 40) -NewThumbprint $New -ConfigPath $Config -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'OLD_CERTIFICATE_NOT_FOUND,Update-IisFtpsCertificate'
        $err = $null
        try { Update-IisFtpsCertificate -OldThumbprint $Old -NewThumbprint $New -AlsoSite 'No Such Site' -ConfigPath $Config -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'SITE_NOT_FOUND,Update-IisFtpsCertificate'
        $err = $null
        try { Update-IisFtpsCertificate -OldThumbprint 'abc' -NewThumbprint $New -ConfigPath $Config -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'INVALID_VALUE,Update-IisFtpsCertificate'
        (Get-FileState $Config).hash | Should -Be $before.hash
    }

    It 'binds -AlsoSite sites in the same commit' {
        $r = Update-IisFtpsCertificate -OldThumbprint $Old -NewThumbprint $New -AlsoSite 'other customer' -ConfigPath $Config -WarningAction SilentlyContinue
        @($r.Changed | Where-Object Reason -eq 'also-site').SiteName | Should -Be 'Other Customer'
        @($r.Unrelated).Count | Should -Be 0
        (Get-Own $Config 'Other Customer').hash | Should -Be $New
    }
}

Describe 'Certificate checks on live IIS (ServerManager path, the store a test double)' {
    BeforeAll {
        $script:Old = '1111111111111111111111111111111111111111'
        $script:Cases = Get-Content -Raw -LiteralPath $env:IIS_FTPS_TEST_JUDGE_CASES | ConvertFrom-Json
    }
    BeforeEach {
        Use-Backend 'ServerManager'
        $script:Config = Join-Path $TestDrive ('{0}.config' -f [guid]::NewGuid().ToString('n'))
        Copy-Item -LiteralPath $env:IIS_FTPS_TEST_RENEWAL -Destination $Config
        # As on live IIS, where the machine's store is consulted (Cert:\LocalMachine on Windows); each test puts the certificate there.
        Mock -ModuleName $ModuleName Test-IisFtpsCertificateStoreVisible { $true }
    }

    It 'judges every case as src/certificates/judge.ts does: the same codes and words (<name>)' -ForEach @(Get-Content -Raw -LiteralPath $env:IIS_FTPS_TEST_JUDGE_CASES | ConvertFrom-Json | ForEach-Object { @{ name = $_.name; case = $_ } }) {
        $got = @(& (Get-Module $ModuleName) { param($f) Get-IisFtpsCertificateProblem -Certificate $f } $case.facts)
        @($got | ForEach-Object { '{0}: {1}' -f $_.code, $_.message }) | Should -Be @($case.problems | ForEach-Object { '{0}: {1}' -f $_.code, $_.message })
    }

    It 'finds on a site bound to the certificate what the CLI''s doctor finds, in the same words (<name>)' -ForEach @(Get-Content -Raw -LiteralPath $env:IIS_FTPS_TEST_JUDGE_CASES | ConvertFrom-Json | ForEach-Object { @{ name = $_.name; case = $_ } }) {
        $global:IisFtpsTestCertificate = $case.facts
        Mock -ModuleName $ModuleName Get-IisFtpsStoreCertificate { $global:IisFtpsTestCertificate }
        $s = [ordered]@{}
        foreach ($el in $case.level.PSObject.Properties) {
            $s[$el.Name] = [ordered]@{}
            foreach ($a in $el.Value.PSObject.Properties) { $s[$el.Name][$a.Name] = $a.Value }
        }
        $got = @(& (Get-Module $ModuleName) { param($s) Get-IisFtpsDoctorFinding -Settings $s -Target @{ level = 'site'; protocols = @('ftp') } } $s)
        @($got | ForEach-Object { '{0}|{1}|{2}' -f $_.rule, $_.severity, $_.message }) | Should -Be @($case.findings | ForEach-Object { '{0}|{1}|{2}' -f $_.rule, $_.severity, $_.message })
    }

    It 'refuses the new certificate with the code of its problem and writes nothing; -Force binds it with a warning' -ForEach @(
        @{ name = 'keyless'; code = 'CERTIFICATE_NO_PRIVATE_KEY' }, @{ name = 'expired'; code = 'CERTIFICATE_EXPIRED' },
        @{ name = 'not yet valid'; code = 'CERTIFICATE_NOT_YET_VALID' }, @{ name = 'client only'; code = 'CERTIFICATE_NOT_FOR_SERVER_AUTH' }
    ) {
        $global:IisFtpsTestCertificate = ($Cases | Where-Object name -eq $name).facts
        Mock -ModuleName $ModuleName Get-IisFtpsStoreCertificate { $global:IisFtpsTestCertificate }
        $before = Get-FileState $Config
        $err = $null
        try { Update-IisFtpsCertificate -OldThumbprint $Old -NewThumbprint $global:IisFtpsTestCertificate.thumbprint -ConfigPath $Config -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be "$code,Update-IisFtpsCertificate"
        $err.Exception.Message | Should -Match '-Force'
        (Get-FileState $Config).hash | Should -Be $before.hash
        $r = Update-IisFtpsCertificate -OldThumbprint $Old -NewThumbprint $global:IisFtpsTestCertificate.thumbprint -ConfigPath $Config -Force -WarningVariable w -WarningAction SilentlyContinue
        $r.Status | Should -Be 'rotated'
        ($w | Out-String) | Should -Match ([regex]::Escape($code))
    }

    It 'takes the store the certificate is found in; refuses one that is not there with CERTIFICATE_NOT_FOUND' {
        $global:IisFtpsTestCertificate = ($Cases | Where-Object name -eq 'keyless').facts | Select-Object *
        $global:IisFtpsTestCertificate.hasPrivateKey = $true
        Mock -ModuleName $ModuleName Get-IisFtpsStoreCertificate { $global:IisFtpsTestCertificate }
        $r = Update-IisFtpsCertificate -OldThumbprint $Old -NewThumbprint $global:IisFtpsTestCertificate.thumbprint -ConfigPath $Config -WarningAction SilentlyContinue
        $r.StoreName | Should -Be 'WebHosting'
        (Get-IisFtpsSetting -SiteDefaults -ConfigPath $Config).ServerCertStoreName | Should -Be 'WebHosting'
        Mock -ModuleName $ModuleName Get-IisFtpsStoreCertificate { $null }
        $err = $null
        try { Update-IisFtpsCertificate -OldThumbprint $global:IisFtpsTestCertificate.thumbprint -NewThumbprint ('4' * 40) -ConfigPath $Config -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'CERTIFICATE_NOT_FOUND,Update-IisFtpsCertificate'
    }

    It 'Test-IisFtpsSetting reports the bound certificate as the store has it' {
        $global:IisFtpsTestCertificate = ($Cases | Where-Object name -eq 'expired').facts
        Set-IisFtpsSetting -SiteName 'ftp-only' -ServerCertHash $global:IisFtpsTestCertificate.thumbprint -ConfigPath $Config
        Mock -ModuleName $ModuleName Get-IisFtpsStoreCertificate { if ($Thumbprint -eq $global:IisFtpsTestCertificate.thumbprint) { $global:IisFtpsTestCertificate } else { $null } }
        $f = @(Test-IisFtpsSetting -SiteName 'ftp-only', 'Other Customer' -ConfigPath $Config)
        ($f | Where-Object SiteName -eq 'ftp-only').Rule | Should -Be 'server-certificate-unusable'
        ($f | Where-Object SiteName -eq 'ftp-only').Message | Should -Match 'CERTIFICATE_EXPIRED'
        ($f | Where-Object SiteName -eq 'Other Customer').Rule | Should -Be 'server-certificate-not-in-store'
    }
}

Describe 'Recipes of docs/certificate-renewal.md' {
    BeforeAll {
        $script:Recipes = Join-Path $Repo 'docs/recipes'
        $script:Old = '1111111111111111111111111111111111111111'
        $script:New = 'ABCDEF0123456789ABCDEF0123456789ABCDEF01'
    }
    # The module's ServerManager path (in-process); the scheduled task's recipe runs the Node CLI itself.
    BeforeEach { Use-Backend 'ServerManager' }

    It 'win-acme: the script step with {CertThumbprint} {OldCertThumbprint} {StorePath} exits 0, again 0 without a change, 1 when OLD is bound nowhere' {
        $config = New-TestConfig $env:IIS_FTPS_TEST_RENEWAL
        $out = & (Join-Path $Recipes 'win-acme-ftps.ps1') $New $Old 'WebHosting' -ConfigPath $config 3>$null
        $LASTEXITCODE | Should -Be 0
        ($out | Out-String) | Should -Match 'FTP certificate rotated: 3 level\(s\) changed, written: True'
        (Get-IisFtpsSetting -SiteDefaults -ConfigPath $config).ServerCertStoreName | Should -Be 'WebHosting'
        $before = Get-FileState $config
        $out = & (Join-Path $Recipes 'win-acme-ftps.ps1') $New $Old 'WebHosting' -ConfigPath $config 3>$null
        $LASTEXITCODE | Should -Be 0
        ($out | Out-String) | Should -Match 'FTP certificate already: 0 level\(s\) changed, written: False'
        (Get-FileState $config).hash | Should -Be $before.hash
        & (Join-Path $Recipes 'win-acme-ftps.ps1') ('4' * 40) ('2' * 40) 'My' -ConfigPath $config 3>$null 2>$null
        $LASTEXITCODE | Should -Be 1
        (Get-FileState $config).hash | Should -Be $before.hash
    }

    It 'win-acme: at the first issuance (no {OldCertThumbprint}) binds the sites named, and fails clearly without any' {
        $config = New-TestConfig $env:IIS_FTPS_TEST_RENEWAL
        & (Join-Path $Recipes 'win-acme-ftps.ps1') $New '' 'My' 'Other Customer, Inherits' -ConfigPath $config 3>$null
        $LASTEXITCODE | Should -Be 0
        (Get-IisFtpsSetting -SiteName 'Inherits' -ConfigPath $config).ServerCertHash | Should -Be $New
        (Get-IisFtpsSetting -SiteDefaults -ConfigPath $config).ServerCertHash | Should -Be $Old
        # As win-acme runs it: a process of its own, the reason on its stderr.
        $command = "Import-Module '{0}'; & '{1}' '{2}' '' 'My' -ConfigPath '{3}'; exit `$LASTEXITCODE" -f $Manifest, (Join-Path $Recipes 'win-acme-ftps.ps1'), $New, $config
        $err = & (Join-Path $PSHOME 'pwsh') -NoProfile -NonInteractive -Command $command 2>&1
        $LASTEXITCODE | Should -Be 1
        ($err | Out-String) | Should -Match 'FTP certificate not updated: Name the certificate being replaced .*USAGE'
    }

    It 'Posh-ACME: the renewed certificate object pipes into Update-IisFtpsCertificate; not due, nothing changes' {
        $config = New-TestConfig $env:IIS_FTPS_TEST_RENEWAL
        # Test doubles of Posh-ACME's commands, returning objects shaped as its PACertificate.
        $global:IisFtpsTestPa = @{ current = $Old; due = $true; installed = @() }
        function global:Get-PACertificate { param([string] $MainDomain) [pscustomobject]@{ PSTypeName = 'PoshACME.PACertificate'; Subject = "CN=$MainDomain"; Thumbprint = $global:IisFtpsTestPa.current; AllSANs = @($MainDomain) } }
        function global:Submit-Renewal {
            param([string] $MainDomain)
            if (-not $global:IisFtpsTestPa.due) { return }
            $global:IisFtpsTestPa.current = 'ABCDEF0123456789ABCDEF0123456789ABCDEF01'
            [pscustomobject]@{ PSTypeName = 'PoshACME.PACertificate'; Subject = "CN=$MainDomain"; NotBefore = (Get-Date); NotAfter = (Get-Date).AddDays(90); Thumbprint = $global:IisFtpsTestPa.current; AllSANs = @($MainDomain); PfxFile = 'cert.pfx' }
        }
        function global:Install-PACertificate { param([Parameter(ValueFromPipeline)] $PACertificate, [string] $StoreLocation, [string] $StoreName) process { $global:IisFtpsTestPa.installed += , @($PACertificate.Thumbprint, $StoreLocation, $StoreName) } }
        try {
            $r = & (Join-Path $Recipes 'posh-acme-ftps.ps1') -MainDomain 'ftp.example.net' -StoreName 'WebHosting' -ConfigPath $config 3>$null
            $r.Status | Should -Be 'rotated'
            $r.NewThumbprint | Should -Be $New
            @($global:IisFtpsTestPa.installed[0]) | Should -Be @($New, 'LocalMachine', 'WebHosting')
            foreach ($site in 'ftp-only', 'Mixed Web and FTP') { (Get-IisFtpsSetting -SiteName $site -ConfigPath $config).ServerCertHash | Should -Be $New }
            $before = Get-FileState $config
            $global:IisFtpsTestPa.due = $false
            (& (Join-Path $Recipes 'posh-acme-ftps.ps1') -MainDomain 'ftp.example.net' -ConfigPath $config | Out-String) | Should -Match 'not due'
            (Get-FileState $config).hash | Should -Be $before.hash
        } finally {
            Remove-Item Function:\Get-PACertificate, Function:\Submit-Renewal, Function:\Install-PACertificate -ErrorAction SilentlyContinue
        }
    }

    It 'a scheduled task running the CLI: moves to the certificate in the file once, then writes nothing; a refused certificate exits non-zero' {
        $config = New-TestConfig $env:IIS_FTPS_TEST_RENEWAL
        $state = Join-Path $TestDrive ('state-{0}.txt' -f [guid]::NewGuid().ToString('n'))
        Set-Content -LiteralPath $state -Value $Old
        $cli = @((Get-Command node -CommandType Application)[0].Source, $env:IIS_FTPS_CLI)
        $x509 = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2 -ArgumentList $env:IIS_FTPS_TEST_CERT_PEM
        $out = & (Join-Path $Recipes 'scheduled-task-ftps.ps1') -CertificateFile $env:IIS_FTPS_TEST_CERT_PEM -StateFile $state -ConfigPath $config -Cli $cli
        $LASTEXITCODE | Should -Be 0
        ($out | Out-String) | Should -Match 'rotated'
        (Get-Content -Raw -LiteralPath $state).Trim() | Should -Be $x509.Thumbprint.ToUpperInvariant()
        (Get-IisFtpsSetting -SiteName 'ftp-only' -ConfigPath $config).ServerCertHash | Should -Be $x509.Thumbprint.ToUpperInvariant()
        $before = Get-FileState $config
        $out = & (Join-Path $Recipes 'scheduled-task-ftps.ps1') -CertificateFile $env:IIS_FTPS_TEST_CERT_PEM -StateFile $state -ConfigPath $config -Cli $cli
        $LASTEXITCODE | Should -Be 0
        ($out | Out-String) | Should -Match 'already'
        (Get-FileState $config).hash | Should -Be $before.hash
        $expired = (Get-Content -Raw -LiteralPath $env:IIS_FTPS_TEST_JUDGE_CASES | ConvertFrom-Json | Where-Object name -eq 'expired').file
        & (Join-Path $Recipes 'scheduled-task-ftps.ps1') -CertificateFile $expired -StateFile $state -ConfigPath $config -Cli $cli 2>$null
        $LASTEXITCODE | Should -Be 1
        (Get-FileState $config).hash | Should -Be $before.hash
        (Get-Content -Raw -LiteralPath $state).Trim() | Should -Be $x509.Thumbprint.ToUpperInvariant()
    }
}
