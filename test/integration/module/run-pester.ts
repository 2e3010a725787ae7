/**
 * Runs one Pester file in a real pwsh and returns its counts, for the module's suites: the
 * environment of the module suite (the fixture, the Microsoft.Web.Administration test double for
 * the ServerManager path, cli-counter.mjs for the Node CLI path) plus what a suite adds.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FIXTURE, REPO, tempDir } from '../../support/fixture.js';
import type { BridgeRuntime } from '../../support/powershell.js';

export interface PesterResult {
  passed: number;
  failed: { name: string; message: string }[];
  skipped: number;
  total: number;
  log: string;
}

const quote = (s: string): string => `'${s.replace(/'/g, "''")}'`;

export function runPester(rt: BridgeRuntime, pester: string, file: string, env: Record<string, string> = {}, timeout = 540_000): PesterResult {
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
  const log = execFileSync(rt.exe.path, ['-NoProfile', '-NonInteractive', '-Command', script], {
    encoding: 'utf8',
    cwd: REPO,
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
  const result = JSON.parse(readFileSync(out, 'utf8').replace(/^\uFEFF/, '')) as Omit<PesterResult, 'log'>;
  return { ...result, failed: ([] as PesterResult['failed']).concat(result.failed ?? []), log };
}
