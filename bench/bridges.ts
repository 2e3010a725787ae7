/**
 * Per-call latency of the backends on the same operations: a read of one site, and a commit of one
 * change (alternating values so every commit writes). Not a test: it prints a table.
 *
 *   npm run bench:bridges [-- --calls N]
 *
 * edge runs on CoreCLR off Windows (EDGE_USE_CORECLR=1; IIS_FTPS_BENCH_EDGE_RUNTIME=mono for Mono,
 * which then leaves PowerShell out: Mono takes over SIGCHLD), PowerShell where pwsh is found, on
 * copies of the fixture and the Microsoft.Web.Administration test double (IIS_FTPS_MWA_PATH, or
 * built by test/doubles/mwa/build.sh).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Backend } from '../src/contract/index.js';
import { elementPaths, findSetting } from '../src/schema/index.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const calls = Number(process.argv[process.argv.indexOf('--calls') + 1]) || 50;
const fixture = existsSync(join(repo, '..', 'shared', 'fixtures', 'applicationHost.config'))
  ? join(repo, '..', 'shared', 'fixtures', 'applicationHost.config')
  : join(repo, 'examples', 'applicationHost.config');
const work = mkdtempSync(join(tmpdir(), 'iis-ftps-bench-'));
const copy = (name: string) => {
  const p = join(work, `${name}.config`);
  copyFileSync(fixture, p);
  return p;
};

const runtime = process.env['IIS_FTPS_BENCH_EDGE_RUNTIME'] ?? (process.platform === 'win32' ? 'netfx' : 'coreclr');
if (runtime === 'coreclr') process.env['EDGE_USE_CORECLR'] = '1';
else delete process.env['EDGE_USE_CORECLR'];

let mwaPath = process.env['IIS_FTPS_MWA_PATH'];
if (!mwaPath && process.platform !== 'win32') {
  try {
    mwaPath = execFileSync('bash', [join(repo, 'test', 'doubles', 'mwa', 'build.sh')], { encoding: 'utf8' }).trim().split('\n').pop();
  } catch {
    mwaPath = undefined;
  }
}

const def = findSetting('clientCertificatePolicy')!;
const site = { name: 'Public Drop', id: 2 };
const changeTo = (value: string, number: number) => ({
  level: 'site' as const,
  site,
  element: def.element,
  path: def.path,
  attribute: def.attribute,
  type: 'enum' as const,
  value,
  number,
});

interface Row {
  backend: string;
  first: number;
  read: number[];
  commit: number[];
  note?: string;
}

async function measure(name: string, backend: Backend): Promise<Row> {
  const ms = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;
  let t = process.hrtime.bigint();
  let snap = await backend.read({ elements: elementPaths, sites: [site] });
  const first = ms(t);
  const read: number[] = [];
  const commit: number[] = [];
  for (let i = 0; i < calls; i++) {
    t = process.hrtime.bigint();
    snap = await backend.read({ elements: elementPaths, sites: [site] });
    read.push(ms(t));
    t = process.hrtime.bigint();
    await backend.commit({ version: snap.version, changes: [i % 2 ? changeTo('CertAllow', 1) : changeTo('CertRequire', 2)] });
    commit.push(ms(t));
  }
  await backend.close();
  return { backend: name, first, read, commit };
}

const rows: Row[] = [];
const skipped: string[] = [];
const { XmlBackend } = await import('../src/backends/xml/index.js');
rows.push(await measure('xml (offline)', new XmlBackend({ path: copy('xml'), backup: false })));
try {
  const { EdgeBackend, edgeReadiness } = await import('../src/backends/edge/index.js');
  const ready = edgeReadiness();
  if (!ready.ok) throw new Error(ready.reason);
  if (!mwaPath && process.platform !== 'win32') throw new Error('no Microsoft.Web.Administration.dll (set IIS_FTPS_MWA_PATH)');
  rows.push(await measure(`edge (${runtime}, in process)`, new EdgeBackend({ configPath: copy('edge'), ...(mwaPath ? { mwaPath } : {}) })));
} catch (e) {
  skipped.push(`edge: ${(e as Error).message}`);
}
const { PowerShellBackend, resolvePowerShell } = await import('../src/backends/powershell/index.js');
const pwsh = resolvePowerShell();
if (!pwsh) skipped.push('powershell: pwsh not found');
else if (runtime === 'mono') skipped.push('powershell: left out next to Mono (Mono takes over SIGCHLD)');
else {
  try {
    rows.push(await measure('powershell (one pwsh process)', new PowerShellBackend({ executable: pwsh.path, configPath: copy('powershell'), ...(mwaPath ? { mwaPath } : {}) })));
  } catch (e) {
    skipped.push(`powershell: ${(e as Error).message}`);
  }
}
rmSync(work, { recursive: true, force: true });

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const f = (n: number) => n.toFixed(2).padStart(9);
console.log(`\nPer-call latency in ms, ${calls} calls each (read one site; commit one change), first call includes start-up:\n`);
console.log(`${'backend'.padEnd(34)} ${'first'.padStart(9)} ${'read p50'.padStart(9)} ${'read p90'.padStart(9)} ${'commit p50'.padStart(10)} ${'commit p90'.padStart(10)}`);
for (const r of rows) console.log(`${r.backend.padEnd(34)} ${f(r.first)} ${f(pct(r.read, 50))} ${f(pct(r.read, 90))} ${f(pct(r.commit, 50)).padStart(10)} ${f(pct(r.commit, 90)).padStart(10)}`);
for (const s of skipped) console.log(`(not measured) ${s}`);
