import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { IisFtpsError, exitCodeFor, isIisFtpsError } from '../errors/errors.js';
import { formatPosition } from '../errors/position.js';
import { settings } from '../schema/index.js';
import type { Target } from '../session/target.js';
import { type SelectionOptions, isBulkSelection } from '../api/selection.js';
import type { ChangeReport } from '../api/commit.js';
import { progressBar } from './progress.js';
import { formatDrift, formatSettings, formatTest, settingsListJson, settingsReportJson, writeChanges } from './format.js';
import { formatBackups, formatRestore } from './format-backups.js';
import type { BackupOptions } from '../backends/xml/file/backup.js';
import type { ConflictRetry } from '../api/connection.js';

// What a command needs is loaded when it runs (below, with `await import`): help loads no
// backend, `get` no validation and no zod, and no command loads what only another one uses.

/** Where the CLI reads and writes: the process's streams, or a test's buffers. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Reads all of standard input (for `--desired -`). */
  readonly stdin?: () => string;
  /** True when stderr is a terminal: long bulk work then shows a progress bar there. */
  readonly stderrIsTTY?: boolean;
}

const COMMANDS = ['get', 'set', 'reset', 'apply', 'test', 'doctor', 'restore'] as const;
type Command = (typeof COMMANDS)[number];

const settingOptions = Object.fromEntries(settings.map((s) => [s.option, { type: 'string' as const }]));
const OPTIONS = {
  config: { type: 'string' },
  backend: { type: 'string' },
  json: { type: 'boolean' },
  'what-if': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  site: { type: 'string', multiple: true },
  'site-id': { type: 'string', multiple: true },
  'site-like': { type: 'string', multiple: true },
  'all-ftp-sites': { type: 'boolean' },
  'site-defaults': { type: 'boolean' },
  setting: { type: 'string', multiple: true },
  desired: { type: 'string' },
  backup: { type: 'boolean' },
  'no-backup': { type: 'boolean' },
  'backup-keep': { type: 'string' },
  'backup-dir': { type: 'string' },
  retry: { type: 'string' },
  from: { type: 'string' },
  ...settingOptions,
} as const;

/** Options of the commands that change a configuration (set, reset, apply): backups and retries on CONFLICT. */
const WRITING = ['backup', 'no-backup', 'backup-keep', 'backup-dir', 'retry'];
/** Options that select many sites at once. */
const BULK = ['site-like', 'all-ftp-sites'];
/** Which options each command takes (besides --config, --backend, --json, --help, --version). */
const ALLOWED: Record<Command, readonly string[]> = {
  get: ['site', 'site-id', 'site-defaults', ...BULK],
  set: ['site', 'site-id', 'site-defaults', ...BULK, 'what-if', ...WRITING, ...settings.map((s) => s.option)],
  reset: ['site', 'site-id', 'site-defaults', ...BULK, 'what-if', 'setting', ...WRITING],
  apply: ['desired', 'what-if', ...WRITING],
  test: ['desired'],
  doctor: ['site', 'site-id', 'site-defaults', ...BULK],
  restore: ['from', 'backup', 'no-backup', 'backup-keep', 'backup-dir'],
};
const COMMON = ['config', 'backend', 'json', 'help', 'version'];

type Values = Record<string, string | boolean | string[] | undefined>;

function usage(message: string, command?: Command): IisFtpsError {
  return new IisFtpsError('USAGE', `${message}\nRun 'iis-ftps ${command ? `${command} ` : ''}--help' for usage.`);
}

/**
 * The sites a command is about: one target (--site, --site-id or --site-defaults) as before, or
 * a union of repeated --site and --site-id, --site-like patterns and --all-ftp-sites.
 */
function targetOf(values: Values, command: Command, optional = false): SelectionOptions | undefined {
  const sites = (values['site'] as string[] | undefined) ?? [];
  const ids = (values['site-id'] as string[] | undefined) ?? [];
  const like = (values['site-like'] as string[] | undefined) ?? [];
  const all = values['all-ftp-sites'] === true;
  const defaults = values['site-defaults'] === true;
  const given = [...(sites.length ? ['--site'] : []), ...(ids.length ? ['--site-id'] : []), ...(like.length ? ['--site-like'] : []), ...(all ? ['--all-ftp-sites'] : [])];
  if (given.length === 0 && !defaults) {
    if (optional) return undefined;
    throw usage('Name a target: --site NAME, --site-id N, --site-like PATTERN, --all-ftp-sites or --site-defaults', command);
  }
  if (defaults && given.length > 0) throw usage(`Name one target only; --site-defaults does not combine with ${given.join(' or ')}`, command);
  if (defaults) return { siteDefaults: true };
  if (sites.includes('')) throw usage('--site needs a site name', command);
  if (like.includes('')) throw usage('--site-like needs a name pattern, e.g. "ftp-*"', command);
  const bad = ids.find((id) => !/^\d+$/.test(id));
  if (bad !== undefined) throw usage(`--site-id takes a whole number; got ${JSON.stringify(bad)}`, command);
  if (sites.length + ids.length === 1 && like.length === 0 && !all) return sites.length ? { site: sites[0]! } : { siteId: Number(ids[0]) };
  return { sites, siteIds: ids.map(Number), ...(like.length ? { siteLike: like } : {}), ...(all ? { allFtpSites: true } : {}) };
}

function parse(argv: readonly string[]): { command: Command | 'help' | undefined; values: Values; rest: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    const m = /'(--?[\w-]+)'/.exec((e as Error).message);
    const opt = m?.[1];
    if ((e as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && opt) {
      const near = Object.keys(OPTIONS).filter((o) => o.includes(opt.replace(/^-+/, '')) || opt.replace(/^-+/, '').includes(o));
      throw usage(`Unknown option ${opt}.${near.length ? ` Did you mean ${near.map((n) => `--${n}`).join(' or ')}?` : ''}`);
    }
    throw usage((e as Error).message.replace(/\. To specify.*$/s, ''));
  }
  const [first, ...rest] = parsed.positionals;
  if (first !== undefined && first !== 'help' && !(COMMANDS as readonly string[]).includes(first)) {
    throw usage(`Unknown command ${JSON.stringify(first)}. Commands: ${[...COMMANDS, 'rotate-cert'].join(', ')}`);
  }
  return { command: first as Command | 'help' | undefined, values: parsed.values as Values, rest };
}

/** The desired state of --desired FILE (- for standard input), parsed as JSON. */
export function readDesired(path: string, io: CliIo): unknown {
  let text: string;
  try {
    text = path === '-' ? (io.stdin ?? (() => readFileSync(0, 'utf8')))() : readFileSync(path, 'utf8');
  } catch (e) {
    throw new IisFtpsError('FILE_READ', `Cannot read the desired state ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new IisFtpsError('INVALID_DESIRED_STATE', `${path} is not valid JSON: ${(e as Error).message}`);
  }
}

/** --backup, --no-backup, --backup-keep N, --backup-dir DIR as API backup options. */
function backupOf(values: Values, command: Command): BackupOptions | undefined {
  if (values['backup'] && values['no-backup']) throw usage('Give --backup or --no-backup, not both', command);
  const keep = values['backup-keep'] as string | undefined;
  if (keep !== undefined && !/^[1-9]\d*$/.test(keep)) throw usage(`--backup-keep takes a whole number of at least 1; got ${JSON.stringify(keep)} (to keep none, use --no-backup)`, command);
  const o: BackupOptions = {
    ...(values['no-backup'] ? { enabled: false } : values['backup'] ? { enabled: true } : {}),
    ...(keep === undefined ? {} : { keep: Number(keep) }),
    ...(values['backup-dir'] === undefined ? {} : { dir: values['backup-dir'] as string }),
  };
  return Object.keys(o).length ? o : undefined;
}

/** --retry N: how many times a command that met CONFLICT reads again and retries. */
function retriesOf(values: Values, command: Command): number {
  const r = values['retry'] as string | undefined;
  if (r === undefined) return 0;
  if (!/^\d+$/.test(r)) throw usage(`--retry takes a whole number; got ${JSON.stringify(r)}`, command);
  return Number(r);
}

async function execute(command: Command, values: Values, io: CliIo): Promise<number> {
  const json = values['json'] === true;
  const backup = backupOf(values, command);
  const conn = {
    ...(values['config'] !== undefined ? { config: values['config'] as string } : {}),
    backend: (values['backend'] as string | undefined) ?? 'auto',
    ...(backup === undefined ? {} : { backup }),
    // A write on live IIS that met another writer's change reads again by itself; say so on stderr.
    onRetry: ({ attempt, attempts, error }: ConflictRetry) =>
      io.stderr(json ? `${JSON.stringify({ retry: { attempt, attempts, code: error.code, message: error.message } })}\n` : `iis-ftps: ${error.message}; reading the configuration again (try ${attempt} of ${attempts})\n`),
  };
  for (const key of Object.keys(values)) {
    if (!COMMON.includes(key) && !ALLOWED[command].includes(key)) {
      throw usage(`--${key} does not go with '${command}'`, command);
    }
  }
  const whatIf = values['what-if'] === true;
  const retries = retriesOf(values, command);
  // A progress bar only on a terminal, never with --json: stdout stays clean either way.
  const progress = !json && io.stderrIsTTY ? progressBar(io.stderr) : undefined;
  const reporting = progress ? { onProgress: progress.onProgress } : {};
  const printChanges = (report: ChangeReport) => {
    progress?.end();
    if (json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    else writeChanges(report, conn.config, io.stdout);
  };

  // The bar is cleared however the command ends, so an error message never shares its line.
  try {
    return await dispatch();
  } finally {
    progress?.end();
  }

  async function dispatch(): Promise<number> {
    switch (command) {
      case 'get': {
        const selection = targetOf(values, command)!;
        const { getFtpsSetting, getFtpsSettings } = await import('../api/cmdlets.js');
        if (!isBulkSelection(selection)) {
          const report = await getFtpsSetting({ ...conn, ...(selection as Target) });
          io.stdout(json ? `${JSON.stringify(settingsReportJson(report), null, 2)}\n` : formatSettings(report));
          return 0;
        }
        const reports = await getFtpsSettings({ ...conn, ...selection, ...reporting });
        progress?.end();
        io.stdout(json ? `${JSON.stringify(settingsListJson(reports), null, 2)}\n` : reports.map(formatSettings).join('\n'));
        return 0;
      }
      case 'set': {
        const target = targetOf(values, command)!;
        const requested = Object.fromEntries(settings.filter((s) => values[s.option] !== undefined).map((s) => [s.name, values[s.option]]));
        if (Object.keys(requested).length === 0) {
          throw usage(`Name at least one setting, e.g. --client-certificate-policy CertRequire. Settings: ${settings.map((s) => `--${s.option}`).join(', ')}`, command);
        }
        const [{ setFtpsSetting }, { retryOnConflict }] = await Promise.all([import('../api/cmdlets.js'), import('../api/restore.js')]);
        printChanges(await retryOnConflict(retries, () => setFtpsSetting({ ...conn, ...target, settings: requested, whatIf, ...reporting })));
        return 0;
      }
      case 'reset': {
        const target = targetOf(values, command)!;
        const names = values['setting'] as string[] | undefined;
        const [{ resetFtpsSetting }, { retryOnConflict }] = await Promise.all([import('../api/cmdlets.js'), import('../api/restore.js')]);
        printChanges(await retryOnConflict(retries, () => resetFtpsSetting({ ...conn, ...target, ...(names ? { settings: names } : {}), whatIf, ...reporting })));
        return 0;
      }
      case 'apply': {
        const path = values['desired'] as string | undefined;
        if (path === undefined) throw usage('apply needs --desired FILE.json (or - for standard input)', command);
        const desired = readDesired(path, io);
        const [{ applyFtpsState }, { retryOnConflict }] = await Promise.all([import('../api/apply.js'), import('../api/restore.js')]);
        printChanges(await retryOnConflict(retries, () => applyFtpsState({ ...conn, desired, whatIf })));
        return 0;
      }
      case 'test': {
        const path = values['desired'] as string | undefined;
        if (path === undefined) throw usage('test needs --desired FILE.json (or - for standard input), the document apply takes', command);
        const desired = readDesired(path, io);
        const { testFtpsState } = await import('../api/drift.js');
        const report = await testFtpsState({ ...conn, desired });
        io.stdout(json ? `${JSON.stringify(report, null, 2)}\n` : formatDrift(report));
        return report.inDesiredState ? 0 : 1;
      }
      case 'doctor': {
        const target = targetOf(values, command, true);
        const { testFtpsSetting } = await import('../api/cmdlets.js');
        const report = await testFtpsSetting({ ...conn, ...(target ?? {}), ...reporting });
        progress?.end();
        io.stdout(json ? `${JSON.stringify(report, null, 2)}\n` : formatTest(report));
        return report.ok ? 0 : 1;
      }
      case 'restore': {
        if (conn.config === undefined) throw usage('restore works on a configuration file: pass --config FILE', command);
        const location = { config: conn.config, ...(backup === undefined ? {} : { backup }) };
        const from = values['from'] as string | undefined;
        const { listFtpsBackups, restoreFtpsBackup } = await import('../api/restore.js');
        if (from === undefined) {
          const list = await listFtpsBackups(location);
          io.stdout(json ? `${JSON.stringify(list, null, 2)}\n` : formatBackups(list));
          return 0;
        }
        const result = await restoreFtpsBackup({ ...location, from });
        io.stdout(json ? `${JSON.stringify(result, null, 2)}\n` : formatRestore(result));
        return 0;
      }
    }
  }
}

function reportError(e: unknown, json: boolean, io: CliIo): number {
  if (!isIisFtpsError(e)) {
    const err = e as Error;
    const internal = new IisFtpsError('INTERNAL', String(err?.message ?? err));
    io.stderr(json ? `${JSON.stringify({ error: internal.toJSON() })}\n` : `iis-ftps: internal error: ${err?.stack ?? String(err)}\n`);
    return exitCodeFor(internal.code);
  }
  if (json) io.stderr(`${JSON.stringify({ error: e.toJSON() })}\n`);
  else {
    const position = e.details.position;
    const excerpt = position ? `\n${position.file === undefined ? '' : `  at ${formatPosition(position)}\n`}${position.excerpt}` : '';
    io.stderr(`iis-ftps: ${e.message}${excerpt}\n  (${e.code})\n`);
  }
  return exitCodeFor(e.code);
}

/** The process's own streams: what `iis-ftps` runs with. */
export function processIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    stderrIsTTY: process.stderr.isTTY === true,
  };
}

/** Runs the CLI and returns its exit code; never throws. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv[0] === 'dsc') return (await import('../dsc/cli.js')).runDsc(argv.slice(1), io); // the DSC v3 resource's commands (src/dsc/)
  if (argv.some((a) => a === '--computer' || a.startsWith('--computer='))) return (await import('../remote/cli.js')).runRemoteCli(argv, io); // on many servers (src/remote/)
  const json = argv.includes('--json');
  try {
    if (argv[0] === 'rotate-cert') return await (await import('./rotate.js')).runRotateCert(argv.slice(1), io);
    const { command, values, rest } = parse(argv);
    if (values['version']) {
      io.stdout(`${(createRequire(import.meta.url)('../../package.json') as { version: string }).version}\n`);
      return 0;
    }
    if (command === 'help' || command === undefined || values['help']) {
      const { commandHelp, mainHelp } = await import('./help.js');
      if (command !== 'help' && command !== undefined) {
        io.stdout(`${commandHelp[command]}\n`);
        return 0;
      }
      const topic = command === 'help' ? rest[0] : undefined;
      if (topic !== undefined && !(topic in commandHelp)) throw usage(`No help on ${JSON.stringify(topic)}. Topics: ${Object.keys(commandHelp).join(', ')}`);
      io.stdout(`${topic ? commandHelp[topic] : mainHelp()}\n`);
      return command === undefined && !values['help'] ? 2 : 0;
    }
    if (rest.length > 0) throw usage(`Unexpected argument ${JSON.stringify(rest[0])}; values go after their option (e.g. --site "${rest[0]}")`, command);
    return await execute(command, values, io);
  } catch (e) {
    return reportError(e, json, io);
  }
}
