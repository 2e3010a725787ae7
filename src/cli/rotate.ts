import { parseArgs } from 'node:util';
import { type RotateReport, rotateFtpsCertificate } from '../api/rotate.js';
import { retryOnConflict } from '../api/restore.js';
import type { BackupOptions } from '../backends/xml/file/backup.js';
import { describeCertificate } from '../certificates/judge.js';
import { IisFtpsError } from '../errors/errors.js';
import { label, show } from './format.js';
import { progressBar } from './progress.js';
import { ROTATE_HELP } from './rotate-help.js';

/** Where the command writes (the CLI's streams, or a test's buffers). */
export interface RotateIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stderrIsTTY?: boolean;
}

const OPTIONS = {
  config: { type: 'string' },
  backend: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  'what-if': { type: 'boolean' },
  from: { type: 'string' },
  to: { type: 'string' },
  'to-file': { type: 'string' },
  'store-name': { type: 'string' },
  'also-site': { type: 'string', multiple: true },
  force: { type: 'boolean' },
  backup: { type: 'boolean' },
  'no-backup': { type: 'boolean' },
  'backup-keep': { type: 'string' },
  'backup-dir': { type: 'string' },
  retry: { type: 'string' },
} as const;

const usage = (message: string): IisFtpsError => new IisFtpsError('USAGE', `${message}\nRun 'iis-ftps rotate-cert --help' for usage.`);

function parse(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    const m = /'(--?[\w-]+)'/.exec((e as Error).message);
    if ((e as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && m) {
      throw usage(`Unknown option ${m[1]} for rotate-cert. Options: ${Object.keys(OPTIONS).map((o) => `--${o}`).join(', ')}`);
    }
    throw usage((e as Error).message.replace(/\. To specify.*$/s, ''));
  }
}

/** The text report: what changed, what follows siteDefaults, what is on neither certificate. */
export function formatRotation(r: RotateReport, file?: string): string {
  const lines: string[] = [];
  lines.push(`FTP server certificate ${r.from ?? '(none)'} -> ${r.to} (store ${r.store})`);
  const c = r.check;
  if (c.checked === 'none') lines.push('Certificate: not checked (offline: the machine\'s store cannot be seen here; --to-file FILE checks dates and key usage)');
  else if (c.certificate) {
    const where = c.checked === 'store' ? ` in LocalMachine\\${c.certificate.store ?? r.store}` : ' (from the file)';
    lines.push(`Certificate: ${describeCertificate(c.certificate)}${where}, valid ${c.certificate.notBefore} to ${c.certificate.notAfter}${c.overridden.length ? '' : ', checks passed'}`);
  }
  for (const p of c.overridden) lines.push(`WARNING (--force): ${p.message} (${p.code})`);
  lines.push('');
  if (r.changes.length === 0) {
    const where = r.alreadyNew.map(label).join(', ');
    lines.push(`The new certificate is already in place (${where || 'the sites named'}) and nothing holds the old one. Nothing was written.`);
  } else {
    lines.push(r.whatIf ? 'Would change:' : 'Changed:');
    for (const ch of r.changes) lines.push(`  ${label(ch.target)}: ${ch.element}.${ch.attribute}: ${ch.old === null ? '(not set)' : show(ch.old)} -> ${show(ch.new)}`);
  }
  if (r.inheriting.length) lines.push('', `Inherit the hash from siteDefaults (unchanged, they follow it): ${r.inheriting.map(label).join(', ')}`);
  if (r.unrelated.length) {
    lines.push('', 'FTP sites on neither the old nor the new certificate (forgotten at an earlier renewal? add --also-site NAME):');
    for (const u of r.unrelated) lines.push(`  ${label(u.target)}: ${u.serverCertHash ?? 'no certificate'}${u.source === 'site' ? '' : ` (from ${u.source})`}`);
  }
  if (r.changes.length) {
    lines.push('');
    if (r.whatIf) {
      if (r.diff) lines.push(r.diff.trimEnd(), '');
      lines.push(`What if: ${r.changes.length} change(s) at ${r.levels.length} level(s); nothing was written.`);
    } else lines.push(`Wrote ${r.changes.length} change(s) at ${r.levels.length} level(s)${file ? ` to ${file}` : ''} in one commit.`);
  }
  return `${lines.join('\n')}\n`;
}

/** `iis-ftps rotate-cert ...` (argv after the command name). Returns the exit code; errors are thrown for the CLI to report. */
export async function runRotateCert(argv: readonly string[], io: RotateIo): Promise<number> {
  const { values, positionals } = parse(argv);
  if (values.help) {
    io.stdout(`${ROTATE_HELP}\n`);
    return 0;
  }
  if (positionals.length) throw usage(`Unexpected argument ${JSON.stringify(positionals[0])}; values go after their option (e.g. --also-site "${positionals[0]}")`);
  if (values.backup && values['no-backup']) throw usage('Give --backup or --no-backup, not both');
  const keep = values['backup-keep'];
  if (keep !== undefined && !/^[1-9]\d*$/.test(keep)) throw usage(`--backup-keep takes a whole number of at least 1; got ${JSON.stringify(keep)}`);
  const retry = values.retry;
  if (retry !== undefined && !/^\d+$/.test(retry)) throw usage(`--retry takes a whole number; got ${JSON.stringify(retry)}`);
  if ((values['also-site'] ?? []).includes('')) throw usage('--also-site needs a site name');
  const backup: BackupOptions = {
    ...(values['no-backup'] ? { enabled: false } : values.backup ? { enabled: true } : {}),
    ...(keep === undefined ? {} : { keep: Number(keep) }),
    ...(values['backup-dir'] === undefined ? {} : { dir: values['backup-dir'] }),
  };
  const json = values.json === true;
  const progress = !json && io.stderrIsTTY ? progressBar(io.stderr) : undefined;
  try {
    const report = await retryOnConflict(Number(retry ?? 0), () =>
      rotateFtpsCertificate({
        ...(values.config === undefined ? {} : { config: values.config }),
        backend: values.backend ?? 'auto',
        ...(Object.keys(backup).length ? { backup } : {}),
        ...(values.from === undefined ? {} : { from: values.from }),
        ...(values.to === undefined ? {} : { to: values.to }),
        ...(values['to-file'] === undefined ? {} : { toFile: values['to-file'] }),
        ...(values['store-name'] === undefined ? {} : { storeName: values['store-name'] }),
        alsoSites: values['also-site'] ?? [],
        whatIf: values['what-if'] === true,
        force: values.force === true,
        ...(progress ? { onProgress: progress.onProgress } : {}),
      }),
    );
    progress?.end();
    for (const p of report.check.overridden) io.stderr(`iis-ftps: warning: --force binds a certificate that failed a check, a risk: ${p.message} (${p.code})\n`);
    io.stdout(json ? `${JSON.stringify(report, null, 2)}\n` : formatRotation(report, values.config));
    return 0;
  } finally {
    progress?.end();
  }
}
