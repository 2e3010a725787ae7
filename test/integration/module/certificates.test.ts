/**
 * Certificate renewal in the PowerShell module: Certificates.Tests.ps1 in a real pwsh, on both
 * paths (ServerManager through the Microsoft.Web.Administration test double, and the Node CLI),
 * with the renewal configuration and certificates made here. A suite of its own (beside
 * IisFtps.Tests.ps1), so each run stays well inside its time limit on a shared machine. Without
 * CI a missing pwsh, .NET SDK or Pester skips it with the reason; with CI=true it fails it.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO, tempDir } from '../../support/fixture.js';
import { certificateFixtures } from '../../support/module-certificates.js';
import { type BridgeRuntime, USE_REAL_IIS, bridgeRuntime } from '../../support/powershell.js';
import { findPester } from './pester.js';

const HERE = join(REPO, 'test', 'integration', 'module');

interface PesterResult {
  passed: number;
  failed: { name: string; message: string }[];
  skipped: number;
  total: number;
}

const quote = (s: string): string => `'${s.replace(/'/g, "''")}'`;

describe('PowerShell module: certificate renewal (real pwsh, Pester)', function () {
  this.timeout(1_200_000);
  let rt: BridgeRuntime;
  let pester: string;

  before(function () {
    if (USE_REAL_IIS) this.skip(); // the suite edits copies of a configuration through the test double
    rt = bridgeRuntime(this);
    try {
      pester = findPester();
    } catch (e) {
      if (process.env['CI'] === 'true') throw e;
      console.log(`      skipped: ${(e as Error).message}`);
      this.skip();
    }
  });

  it('Certificates.Tests.ps1 passes on both paths, with no test skipped', () => {
    const work = tempDir();
    const out = join(work, 'pester.json');
    const script = [
      "$ErrorActionPreference = 'Stop'",
      `Import-Module -Name ${quote(pester)} -MinimumVersion 5.0`,
      '$c = New-PesterConfiguration',
      `$c.Run.Path = ${quote(join(HERE, 'Certificates.Tests.ps1'))}`,
      '$c.Run.PassThru = $true',
      "$c.Output.Verbosity = 'Detailed'",
      '$r = Invoke-Pester -Configuration $c',
      '$failed = @($r.Failed | ForEach-Object { [pscustomobject]@{ name = $_.ExpandedPath; message = ($_.ErrorRecord | ForEach-Object { $_.Exception.Message }) -join "; " } })',
      `[pscustomobject]@{ passed = $r.PassedCount; failed = $failed; skipped = $r.SkippedCount + $r.NotRunCount; total = $r.TotalCount } | ConvertTo-Json -Depth 4 | Set-Content -LiteralPath ${quote(out)}`,
    ].join('\n');
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    let log = '';
    try {
      log = execFileSync(rt.exe.path, ['-NoProfile', '-NonInteractive', '-Command', script], {
        encoding: 'utf8',
        cwd: REPO,
        // A guard against a hung process, not a speed target.
        timeout: 1_100_000,
        env: {
          ...process.env,
          ...certificateFixtures(work),
          IIS_FTPS_TEST_MWA: rt.mwaPath!,
          IIS_FTPS_MWA_PATH: '',
          IIS_FTPS_CLI: join(HERE, 'cli-counter.mjs'),
          NODE_OPTIONS: `--import=${tsx}`,
          NO_COLOR: '1',
        },
      });
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string; message: string };
      assert.fail(`pwsh failed: ${err.message}\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
    }
    const result = JSON.parse(readFileSync(out, 'utf8').replace(/^\uFEFF/, '')) as PesterResult;
    const failed = ([] as PesterResult['failed']).concat(result.failed ?? []);
    if (failed.length || result.skipped) console.log(log);
    assert.deepEqual(failed.map((f) => `${f.name}: ${f.message}`), []);
    assert.equal(result.skipped, 0, 'no Pester test may be skipped');
    assert.ok(result.passed >= 25, `expected the whole suite to run; ${result.passed} of ${result.total} passed`);
    console.log(`      Pester: ${result.passed} passed, 0 failed`);
  });
});
