/**
 * Runs one Pester file in a real pwsh and returns its counts, for the module's suites: the
 * environment of the module suite (the fixture, the Microsoft.Web.Administration test double for
 * the ServerManager path, cli-counter.mjs for the Node CLI path) plus what a suite adds.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FIXTURE, REPO, tempDir } from '../../support/fixture.js';
import { type BridgeRuntime, USE_REAL_IIS, bridgeRuntime } from '../../support/powershell.js';
import { findPester } from './pester.js';

export interface PesterResult {
  passed: number;
  failed: { name: string; message: string }[];
  skipped: number;
  total: number;
  log: string;
}

const quote = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** `timeout` guards against a hung process; it is not a speed target. */
export function runPester(rt: BridgeRuntime, pester: string, file: string, env: Record<string, string> = {}, timeout = 540_000, cwd = REPO): PesterResult {
  const out = join(tempDir(), 'pester.json');
  const script = [
    "$ErrorActionPreference = 'Stop'",
    `Import-Module -Name ${quote(pester)} -MinimumVersion 5.0`,
    '$c = New-PesterConfiguration',
    `$c.Run.Path = ${quote(file)}`,
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
      cwd,
      timeout,
      env: {
        ...process.env,
        IIS_FTPS_TEST_FIXTURE: FIXTURE,
        IIS_FTPS_TEST_MWA: rt.mwaPath!,
        IIS_FTPS_MWA_PATH: '',
        IIS_FTPS_CLI: join(REPO, 'test', 'integration', 'module', 'cli-counter.mjs'),
        NODE_OPTIONS: `--import=${tsx}`,
        NO_COLOR: '1',
        ...env,
      },
    });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    return assert.fail(`pwsh failed: ${err.message}\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
  }
  const result = JSON.parse(readFileSync(out, 'utf8').replace(/^\uFEFF/, '')) as Omit<PesterResult, 'log'>;
  return { ...result, failed: ([] as PesterResult['failed']).concat(result.failed ?? []), log };
}

/** The whole Pester file ran and passed: no failure, nothing skipped, at least `minimum` tests. */
export function expectWholeSuite(r: PesterResult, minimum: number): void {
  if (r.failed.length || r.skipped) console.log(r.log);
  assert.deepEqual(r.failed.map((f) => `${f.name}: ${f.message}`), []);
  assert.equal(r.skipped, 0, 'no Pester test may be skipped');
  assert.ok(r.passed >= minimum, `expected the whole suite to run; ${r.passed} of ${r.total} passed`);
  console.log(`      Pester: ${r.passed} passed, 0 failed`);
}

/**
 * What a Pester suite needs, for its `before`: pwsh with the test double, and Pester (and
 * anything `missing` names, e.g. sshd). Without them the suite is skipped with the reason, or
 * with CI=true fails.
 */
export function pesterRuntime(ctx: Mocha.Context, missing: () => string | null | undefined = () => null): { rt: BridgeRuntime; pester: string } {
  const rt = bridgeRuntime(ctx);
  try {
    const lack = missing();
    if (lack) throw new Error(lack);
    return { rt, pester: findPester() };
  } catch (e) {
    if (process.env['CI'] === 'true') throw e;
    console.log(`      skipped: ${(e as Error).message}`);
    return ctx.skip();
  }
}

export interface PesterSuite {
  /** The mocha suite's title. */
  readonly title: string;
  /** The Pester file, relative to this folder. */
  readonly file: string;
  /** At least this many Pester tests must pass (so a suite that stops early fails). */
  readonly minimum: number;
  /** What the suite adds to the environment, made when it runs. */
  readonly env?: () => Record<string, string>;
  /** The Pester run's time-out (a guard against a hung process, not a speed target). */
  readonly timeout?: number;
}

/**
 * A mocha suite that runs one Pester file of the module on both paths and expects all of it to
 * pass. Skipped on real IIS (the suites edit copies of a configuration through the test double);
 * without pwsh or Pester skipped with the reason, or with CI=true failed.
 */
export function pesterSuite(suite: PesterSuite): void {
  const timeout = suite.timeout ?? 540_000;
  describe(suite.title, function () {
    this.timeout(timeout + 60_000);
    let rt: BridgeRuntime;
    let pester: string;

    before(function () {
      if (USE_REAL_IIS) this.skip();
      ({ rt, pester } = pesterRuntime(this));
    });

    it(`${suite.file} passes on both paths, with no test skipped`, () => {
      expectWholeSuite(runPester(rt, pester, join(REPO, 'test', 'integration', 'module', suite.file), suite.env?.() ?? {}, timeout), suite.minimum);
    });
  });
}
