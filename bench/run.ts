/**
 * `npm run bench`: the targets of issue 18, each measured from outside as a whole process (Node's
 * start-up, module loading, the work and the exit), as a ratio to a reference process run just
 * before it in the same run. Each figure is the median of several such pairs, with min and max,
 * so that a shared, noisy machine moves both sides of a pair alike.
 *
 *   npm run bench [-- --sites 50000] [--pairs 7]
 *
 * - start-up: `iis-ftps --help`, and `get` on a 10-site file, against a bare `node -e 0`;
 * - on a file of `--sites` sites from each of two generators (generate.ts, generate-varied.ts):
 *   `get` of one site, `set` of one site, the same `set` when already so (no-op), `set` on
 *   every FTP site, and that `set` with `--what-if` (its diff printed), each against the floor:
 *   read the file, one full pass of a conformant streaming XML parser (saxes), write it back
 *   (bench/worker.mjs floor);
 * - peak RSS of every run of every operation on those files, as a multiple of the file's size:
 *   the max over runs, not the median.
 *
 * The CLI runs as installed (dist/cli/bin.cjs; `npm run bench` builds first), with its default
 * backup. Exits 1 when a correctness check fails (a no-op that wrote, a set that did not);
 * missed targets are reported, not fatal.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type GeneratedConfig, generateConfig } from './generate.js';
import { generateVariedConfig } from './generate-varied.js';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const WORKER = here('./worker.mjs');
const RSS = here('./rss.mjs');
const CLI = here('../dist/cli/bin.cjs');
const SET = ['--client-certificate-policy', 'CertRequire', '--ssl128', 'true'];

interface Run {
  readonly ms: number;
  readonly rss: number;
  /** CPU time (user + system) of the whole process, ms: less moved by other load than wall time. */
  readonly cpu: number;
}

/** Runs one process with the RSS probe loaded; its wall time and peak RSS. */
function time(args: readonly string[]): Run {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', RSS, ...args], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - t0;
  const m = /IIS_FTPS_BENCH_RSS (\d+) (\d+)/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`node ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return { ms, rss: Number(m[1]), cpu: Number(m[2]) / 1000 };
}

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

interface Figure {
  readonly name: string;
  readonly reference: string;
  /** The target ratio, or null for a figure shown for reference only. */
  readonly target: number | null;
  readonly ratios: number[];
  readonly cpuRatios: number[];
  readonly ms: number[];
  readonly refMs: number[];
  readonly rss: number[];
  fileBytes?: number;
  outcome?: string;
}

function main(): void {
  const { values } = parseArgs({ options: { sites: { type: 'string' }, pairs: { type: 'string' } } });
  const sites = Number(values.sites ?? 50000);
  // Seven pairs by default (at least five): on a busy machine one slow run moves a median of five more.
  const pairs = Math.max(5, Number(values.pairs ?? 7));
  const dir = mkdtempSync(join(tmpdir(), 'iis-ftps-bench-'));
  const figures: Figure[] = [];
  let failed = false;
  const log = (t: string) => process.stderr.write(`${t}\n`);
  try {
    // Start-up.
    const small = join(dir, 'small.config');
    const g10 = generateConfig({ sites: 10 });
    writeFileSync(small, g10.text);
    const startups: [string, string[]][] = [
      ['CLI start-up: iis-ftps --help', [CLI, '--help']],
      ['CLI start-up: iis-ftps get, 10-site file', [CLI, 'get', '--config', small, '--site', g10.middleSite]],
    ];
    for (const [name, args] of startups) {
      const f: Figure = { name, reference: 'node -e 0', target: 1.5, ratios: [], cpuRatios: [], ms: [], refMs: [], rss: [] };
      time(args); // warm the file cache
      for (let i = 0; i < pairs; i++) {
        const ref = time(['-e', '0']);
        const run = time(args);
        f.refMs.push(ref.ms);
        f.ms.push(run.ms);
        f.ratios.push(run.ms / ref.ms);
        f.cpuRatios.push(run.cpu / ref.cpu);
        f.rss.push(run.rss);
      }
      figures.push(f);
      log(`  ${name}: ${median(f.ratios).toFixed(2)}x`);
    }

    const generators: [string, (o: { sites: number }) => GeneratedConfig][] = [
      ['generate.ts', generateConfig],
      ['generate-varied.ts', generateVariedConfig],
    ];
    for (const [gen, generate] of generators) {
      const g = generate({ sites });
      const input = join(dir, `${gen}.config`);
      writeFileSync(input, g.text);
      const fileBytes = statSync(input).size;
      const work = join(dir, `${gen}.work.config`);
      const floorFile = join(dir, `${gen}.floor.config`);
      // The no-op's file: the single-site set already made. Copied once, well before it is read.
      const noop = join(dir, `${gen}.noop.config`);
      copyFileSync(input, noop);
      time([CLI, 'set', '--config', noop, '--site', g.middleSite, '--no-backup', ...SET]);
      const ops: [string, string[], 'written' | 'nothing written', string, number | null][] = [
        ['get one site', [CLI, 'get', '--config', input, '--site', g.middleSite], 'nothing written', input, null],
        ['set one site (2 settings)', [CLI, 'set', '--config', work, '--site', g.middleSite, ...SET], 'written', work, 1.3],
        ['set one site, already so (no-op)', [CLI, 'set', '--config', noop, '--site', g.middleSite, ...SET], 'nothing written', noop, 1.0],
        [`set every FTP site (${g.ftpSites}, 2 settings)`, [CLI, 'set', '--config', work, '--all-ftp-sites', ...SET], 'written', work, 2.0],
        // For reference: the same set with --what-if prints every change and a diff of the whole file.
        ['the same set with --what-if (diff printed)', [CLI, 'set', '--config', input, '--all-ftp-sites', ...SET, '--what-if'], 'nothing written', input, null],
      ];
      for (const [label, args, expect, file, target] of ops) {
        const f: Figure = { name: `${gen}, ${sites} sites (${mb(fileBytes)} MB): ${label}`, reference: 'floor', target, ratios: [], cpuRatios: [], ms: [], refMs: [], rss: [], fileBytes };
        for (let i = 0; i < pairs; i++) {
          copyFileSync(input, floorFile);
          const ref = time([WORKER, 'floor', floorFile]);
          if (file === work) copyFileSync(input, work);
          const before = sha(file);
          const mtime = statSync(file).mtimeMs;
          const run = time(args);
          const same = sha(file) === before && statSync(file).mtimeMs === mtime;
          const outcome = same ? 'nothing written' : 'written';
          if (outcome !== expect) {
            failed = true;
            f.outcome = `${outcome} (UNEXPECTED)`;
          }
          f.outcome ??= outcome;
          f.refMs.push(ref.ms);
          f.ms.push(run.ms);
          f.ratios.push(run.ms / ref.ms);
          f.cpuRatios.push(run.cpu / ref.cpu);
          f.rss.push(run.rss);
        }
        figures.push(f);
        log(`  ${f.name}: ${median(f.ratios).toFixed(2)}x, peak ${(Math.max(...f.rss) / fileBytes).toFixed(2)}x file`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  print(figures, pairs);
  if (failed) process.exitCode = 1;
}

function print(figures: readonly Figure[], pairs: number): void {
  const out: string[] = [];
  out.push(`Node ${process.version}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; each ratio the median of ${pairs} back-to-back pairs (min to max), each process timed whole from outside (wall time; CPU time = user + system of the whole process).`, '');
  out.push('| figure | reference | ms (median) | reference ms | ratio (median) | min to max | CPU ratio (median) | target | peak RSS MB (max) | peak RSS / file (max) | file afterwards |');
  out.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const f of figures) {
    const r = median(f.ratios);
    const peak = Math.max(...f.rss);
    const rssRatio = f.fileBytes ? peak / f.fileBytes : undefined;
    // Time and memory are judged apart: each column says MISSED for its own target.
    const met = f.target === null || r <= f.target;
    out.push(
      `| ${f.name} | ${f.reference} | ${median(f.ms).toFixed(0)} | ${median(f.refMs).toFixed(0)} | ${r.toFixed(2)} | ${Math.min(...f.ratios).toFixed(2)} to ${Math.max(...f.ratios).toFixed(2)} | ${median(f.cpuRatios).toFixed(2)} | ${f.target === null ? '(reference)' : `<= ${f.target.toFixed(1)}x`}${met ? '' : ' MISSED'} | ${mb(peak)} | ${rssRatio === undefined ? '' : `${rssRatio.toFixed(2)}${rssRatio <= 4 ? '' : ' MISSED'}`} | ${f.outcome ?? ''} |`,
    );
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

main();
