/**
 * The module's live path on a real IIS (no -ConfigPath: live IIS through ServerManager, through the
 * engine). Runs only with IIS_FTPS_TEST_REAL_IIS=1 and IIS_FTPS_TEST_SITE naming an FTP site the
 * run may change (.github/workflows/windows.yml); it puts back what it changed.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO, tempDir } from '../../support/fixture.js';
import { type BridgeRuntime, USE_REAL_IIS, bridgeRuntime } from '../../support/powershell.js';

const run = promisify(execFile);

describe("the module's live path on a real IIS", function () {
  this.timeout(600_000);
  let rt: BridgeRuntime;

  before(function () {
    if (!USE_REAL_IIS) {
      console.log('      skipped: needs Windows with IIS (IIS_FTPS_TEST_REAL_IIS=1); see .github/workflows/windows.yml');
      this.skip();
    }
    rt = bridgeRuntime(this);
  });

  it('reads a siteDefaults-only value as siteDefaults, pins it with a set, removes the pin with a reset', async () => {
    const script = join(tempDir(), 'live.ps1');
    writeFileSync(
      script,
      `$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $env:REPO 'Manifest.psd1')
$site = $env:IIS_FTPS_TEST_SITE
$out = [ordered]@{}
try {
  Reset-IisFtpsSetting -SiteName $site -Setting RevocationFreshnessTime, ValidationFlags
  Set-IisFtpsSetting -SiteDefaults -RevocationFreshnessTime '01:02:03'
  $r = Get-IisFtpsSetting -SiteName $site
  $out.inherited = @([string]$r.RevocationFreshnessTime, $r.Source.revocationFreshnessTime)
  Set-IisFtpsSetting -SiteName $site -RevocationFreshnessTime '01:02:03'
  $r = Get-IisFtpsSetting -SiteName $site
  $out.pinned = @([string]$r.RevocationFreshnessTime, $r.Source.revocationFreshnessTime)
  $out.noop = @(Set-IisFtpsSetting -SiteName $site -RevocationFreshnessTime '01:02:03' -Verbose 4>&1 | Where-Object { $_ -match 'already so' }).Count
  Reset-IisFtpsSetting -SiteName $site -Setting RevocationFreshnessTime
  $r = Get-IisFtpsSetting -SiteName $site
  $out.reset = @([string]$r.RevocationFreshnessTime, $r.Source.revocationFreshnessTime)
  Set-IisFtpsSetting -SiteName $site -ClientCertificatePolicy CertRequire -ValidationFlags NoRevocationCheck, CertNoUsageCheck -UseActiveDirectoryMapping $true -RevocationUrlRetrievalTimeout '00:00:45'
  $r = Get-IisFtpsSetting -SiteName $site
  $out.typed = @([string]$r.ClientCertificatePolicy, (@($r.ValidationFlags) -join ','), [string]$r.UseActiveDirectoryMapping, [string]$r.RevocationUrlRetrievalTimeout)
} finally {
  Reset-IisFtpsSetting -SiteName $site -Setting ClientCertificatePolicy, ValidationFlags, UseActiveDirectoryMapping, RevocationUrlRetrievalTimeout, RevocationFreshnessTime
  Reset-IisFtpsSetting -SiteDefaults -Setting RevocationFreshnessTime
}
$out | ConvertTo-Json -Compress
`,
    );
    const { stdout } = await run(rt.exe.path, ['-NoLogo', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File', script], { env: { ...process.env, REPO }, timeout: 540_000 });
    const out = JSON.parse(stdout.trim().split('\n').pop()!);
    assert.deepEqual(out, {
      inherited: ['01:02:03', 'siteDefaults'],
      pinned: ['01:02:03', 'site'],
      noop: 1,
      reset: ['01:02:03', 'siteDefaults'],
      typed: ['CertRequire', 'NoRevocationCheck,CertNoUsageCheck', 'True', '00:00:45'],
    });
  });
});
