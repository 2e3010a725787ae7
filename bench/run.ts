/**
 * `npm run bench`: generates hosting configurations of 1k, 10k and 50k sites and measures, in
 * one run, each operation against the I/O floor (read the file, one full pass of a conformant
 * streaming XML parser, write it back). Every operation runs in a process of its own (see
 * worker.mjs) so that its peak RSS is its own; times are the median of several runs.
 *
 *   npm run bench [-- --sizes 1000,10000,50000] [--runs 3]
 *
 * Prints one Markdown table, then the targets checked on the largest file. Exits 1 when a
 * correctness check fails (a no-op set that wrote, a set that did not); missed time or memory
 * targets are reported, not fatal: absolute times vary on a shared machine.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateConfig } from './generate.js';

const WORKER = fileURLToPath(new URL('./worker.mjs', import.meta.url));

const OPS = [
  { op: 'floor', label: 'floor: read + SAX pass + write', expect: 'same bytes' },
  { op: 'get', label: 'get one site', expect: 'nothing written' },
  { op: 'set', label: 'set one site (2 settings)', expect: 'written' },
  { op: 'noop', label: 'set one site, already so (no-op)', expect: 'nothing written' },
  { op: 'bulk', label: 'set all FTP sites (2 settings)', expect: 'written' },
  { op: 'bulk-no-backup', label: 'set all FTP sites, no backup (reference only)', expect: 'written' },
  { op: 'fast-xml-parser', label: 'naive round trip: fast-xml-parser', expect: 'formatting lost' },
  { op: 'xmldom', label: 'naive round trip: @xmldom/xmldom', expect: 'formatting lost' },
] as const;
type Op = (typeof OPS)[number]['op'] | 'idle';

interface Sample {
  readonly ms: number;
  readonly maxRss: number;
}

interface Row {
  readonly sites: number;
  readonly fileBytes: number;
  readonly op: Op;
  readonly label: string;
  readonly ms: number;
  readonly maxRss: number;
  readonly outcome: string;
  readonly ok: boolean;
}

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);

/** Runs one operation on a fresh copy of `input` and checks what it did to the file. */
function runOnce(op: Op, input: string, work: string, site: string): Sample & { outcome: string; written: boolean; same: boolean } {
  copyFileSync(input, work);
  const before = sha(work);
  const mtime = statSync(work).mtimeMs;
  const r = spawnSync(process.execPath, [WORKER, op, work, site], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${op} failed (${r.status}): ${r.stderr}`);
  const sample = JSON.parse(r.stdout.trim().split('\n').pop()!) as Sample;
  const same = sha(work) === before;
  const written = !same || statSync(work).mtimeMs !== mtime;
  const outcome = same ? (written ? 'same bytes' : 'nothing written') : written ? 'written' : '?';
  return { ...sample, outcome, written, same };
}

function formattingLost(input: string, work: string): string {
  const a = readFileSync(input, 'utf8').split('\n');
  const b = readFileSync(work, 'utf8').split('\n');
  let differ = Math.abs(a.length - b.length);
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) differ++;
  return `formatting lost (${Math.round((100 * differ) / a.length)}% of lines differ)`;
}

function main(): void {
  const { values } = parseArgs({ options: { sizes: { type: 'string' }, runs: { type: 'string' } } });
  const sizes = (values.sizes ?? '1000,10000,50000').split(',').map(Number);
  const runs = Number(values.runs ?? 3);
  const dir = mkdtempSync(join(tmpdir(), 'iis-ftps-bench-'));
  const rows: Row[] = [];
  const idle: number[] = [];
  try {
    for (const sites of sizes) {
      const g = generateConfig({ sites });
      const input = join(dir, `applicationHost.${sites}.config`);
      writeFileSync(input, g.text);
      const work = join(dir, `work.${sites}.config`);
      // The no-op starts from the file a set left behind: every value is already so.
      const noopInput = join(dir, `noop.${sites}.config`);
      runOnce('set', input, work, g.middleSite);
      copyFileSync(work, noopInput);
      const fileBytes = statSync(input).size;
      idle.push(runOnce('idle', input, work, g.middleSite).maxRss);
      for (const { op, label, expect } of OPS) {
        const samples: ReturnType<typeof runOnce>[] = [];
        for (let i = 0; i < runs; i++) samples.push(runOnce(op, op === 'noop' ? noopInput : input, work, g.middleSite));
        let outcome = samples[0]!.outcome;
        if (expect === 'formatting lost' && !samples[0]!.same) outcome = formattingLost(input, work);
        const ok = samples.every((s) => s.outcome === samples[0]!.outcome) && (expect === 'formatting lost' || outcome === expect);
        rows.push({ sites, fileBytes, op, label, ms: median(samples.map((s) => s.ms)), maxRss: median(samples.map((s) => s.maxRss)), outcome, ok });
        process.stderr.write(`  ${sites} sites: ${label}: ${median(samples.map((s) => s.ms)).toFixed(0)} ms\n`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  print(rows, sizes, idle, runs);
  if (rows.some((r) => !r.ok)) process.exitCode = 1;
}

function print(rows: readonly Row[], sizes: readonly number[], idle: readonly number[], runs: number): void {
  const out: string[] = [];
  out.push(`Node ${process.version}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; median of ${runs} runs, each in its own process.`, '');
  out.push('| sites | file MB | operation | ms | x floor | µs per site | peak RSS MB | RSS / file | file afterwards |');
  out.push('| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const r of rows) {
    const floor = rows.find((f) => f.sites === r.sites && f.op === 'floor')!;
    out.push(
      `| ${r.sites} | ${mb(r.fileBytes)} | ${r.label} | ${r.ms.toFixed(0)} | ${(r.ms / floor.ms).toFixed(2)} | ${((1000 * r.ms) / r.sites).toFixed(1)} | ${mb(r.maxRss)} | ${(r.maxRss / r.fileBytes).toFixed(1)} | ${r.outcome}${r.ok ? '' : ' (UNEXPECTED)'} |`,
    );
  }
  out.push('', `An idle process with the library loaded peaks at ${idle.map((b) => mb(b)).join(' / ')} MB RSS (this is part of every figure above).`);
  const largest = sizes[sizes.length - 1]!;
  const at = (op: Op) => rows.find((r) => r.sites === largest && r.op === op)!;
  const floor = at('floor');
  const ratio = (op: Op) => at(op).ms / floor.ms;
  const ours = (['get', 'set', 'noop', 'bulk'] as const).map(at);
  const peak = Math.max(...ours.map((r) => r.maxRss)) / floor.fileBytes;
  const check = (ok: boolean) => (ok ? 'met' : 'MISSED');
  out.push('', `Targets on the ${largest}-site file (${mb(floor.fileBytes)} MB):`);
  out.push(`- single-site set ${ratio('set').toFixed(2)}x the floor (at most 2x): ${check(ratio('set') <= 2)}`);
  out.push(`- bulk set on all FTP sites ${ratio('bulk').toFixed(2)}x (at most 3x): ${check(ratio('bulk') <= 3)}`);
  out.push(`- no-op set ${ratio('noop').toFixed(2)}x (at most 1.2x), ${at('noop').outcome}: ${check(ratio('noop') <= 1.2 && at('noop').outcome === 'nothing written')}`);
  out.push(`- peak RSS of get/set/no-op/bulk at most ${peak.toFixed(1)}x the file (at most 4x): ${check(peak <= 4)}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

main();
