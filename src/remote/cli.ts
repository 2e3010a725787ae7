import { parseArgs } from 'node:util';
import { IisFtpsError, exitCodeFor, isIisFtpsError } from '../errors/errors.js';
import { settings } from '../schema/index.js';
import { type CliIo, readDesired } from '../cli/run.js';
import { driftLine } from '../cli/format.js';
import { type RemoteCommand, type ServerReport, runOnComputers } from './fanout.js';
import { REMOTE_HELP } from './help.js';

/**
 * `iis-ftps COMMAND --computer NAME...`: the command on each server through PowerShell remoting
 * (src/remote/fanout.ts). Prints a report per server (`--json`: `{ "servers": [...] }`, one
 * object per server with its changes or its error) and exits 0 only when every server succeeded.
 */


const settingOptions = Object.fromEntries(settings.map((s) => [s.option, { type: 'string' as const }]));
const OPTIONS = {
  computer: { type: 'string', multiple: true },
  'ssh-user': { type: 'string' },
  'ssh-key': { type: 'string' },
  'ssh-option': { type: 'string', multiple: true },
  'throttle-limit': { type: 'string' },
  config: { type: 'string' },
  site: { type: 'string', multiple: true },
  'site-defaults': { type: 'boolean' },
  setting: { type: 'string', multiple: true },
  desired: { type: 'string' },
  'what-if': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  ...settingOptions,
} as const;

const usage = (message: string): IisFtpsError => new IisFtpsError('USAGE', `${message}\nRun 'iis-ftps help servers' for usage with servers.`);

function formatReports(reports: readonly ServerReport[]): string {
  const lines: string[] = [];
  for (const r of reports) {
    if (!r.ok && r.error) lines.push(`${r.computer}: FAILED (${r.error.code}): ${r.error.message}`);
    else if (r.differences) {
      lines.push(`${r.computer}: ${r.inDesiredState ? 'in the desired state' : `${r.differences.length} setting(s) differ from the desired state`}`);
      for (const d of r.differences) lines.push(`  ${driftLine(d)}`);
    } else if (r.changes) lines.push(`${r.computer}: ${r.changes.length ? `${r.changes.length} change(s)${r.whatIf ? ' (what if: nothing written)' : ''}` : 'nothing to change'}`, ...r.changes.map((c) => `  ${c}`));
    else {
      lines.push(`${r.computer}: ${r.ok ? 'ok' : 'problems found'}`);
      for (const x of r.results ?? []) {
        const o = x as Record<string, unknown>;
        if ('Rule' in o) lines.push(`  ${o['Level'] === 'siteDefaults' ? 'siteDefaults' : `site "${String(o['SiteName'])}"`}: ${String(o['Severity'])} ${String(o['Rule'])}: ${String(o['Message'])}`);
        else lines.push(`  ${o['Level'] === 'siteDefaults' ? 'siteDefaults' : `site "${String(o['SiteName'])}"`}: ${settings.map((s) => `${s.name}=${JSON.stringify(o[s.name[0]!.toUpperCase() + s.name.slice(1)])}`).join(' ')}`);
      }
    }
  }
  const failed = reports.filter((r) => !r.ok).length;
  lines.push('', reports.every((r) => r.differences || r.error) ? `${reports.filter((r) => r.inDesiredState).length} of ${reports.length} server(s) in the desired state.` : `${reports.length - failed} of ${reports.length} server(s) succeeded.`);
  return `${lines.join('\n')}\n`;
}

/** Runs a command with --computer; never throws. */
export async function runRemoteCli(argv: readonly string[], io: CliIo): Promise<number> {
  const json = argv.includes('--json');
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
    } catch (e) {
      throw usage(`${(e as Error).message.replace(/\. To specify.*$/s, '')} (with --computer: ${Object.keys(OPTIONS).map((o) => `--${o}`).join(', ')})`);
    }
    const v = parsed.values as Record<string, string | boolean | string[] | undefined>;
    if (v['help']) {
      io.stdout(REMOTE_HELP);
      return 0;
    }
    const [command, ...rest] = parsed.positionals;
    if (!['get', 'set', 'reset', 'apply', 'test', 'doctor'].includes(command ?? '')) throw usage(`--computer goes with get, set, reset, apply, test or doctor; got ${JSON.stringify(command ?? '')}`);
    if (rest.length) throw usage(`Unexpected argument ${JSON.stringify(rest[0])}`);
    const requested = Object.fromEntries(settings.filter((s) => v[s.option] !== undefined).map((s) => [s.name, v[s.option]]));
    if (command !== 'set' && Object.keys(requested).length) throw usage(`Setting values go with set, not ${command}`);
    if (v['what-if'] && command !== 'set' && command !== 'reset' && command !== 'apply') throw usage(`--what-if goes with set, reset and apply`);
    const byDesired = command === 'apply' || command === 'test';
    if (byDesired && v['desired'] === undefined) throw usage(`${command} needs --desired FILE.json (or - for standard input)`);
    if (!byDesired && v['desired'] !== undefined) throw usage(`--desired goes with apply and test, not ${command}`);
    if (byDesired && (v['site'] !== undefined || v['site-defaults'])) throw usage(`${command} takes its targets from the desired state; leave out --site and --site-defaults`);
    if (v['setting'] && command !== 'reset') throw usage('--setting goes with reset');
    const sites = (v['site'] as string[] | undefined) ?? [];
    if (sites.length && v['site-defaults']) throw usage('Name one target: --site or --site-defaults');
    const throttle = v['throttle-limit'] as string | undefined;
    if (throttle !== undefined && !/^[1-9]\d*$/.test(throttle)) throw usage(`--throttle-limit takes a whole number of 1 or more; got ${JSON.stringify(throttle)}`);
    const sshOptions: Record<string, string> = {};
    for (const o of (v['ssh-option'] as string[] | undefined) ?? []) {
      const m = /^([A-Za-z][A-Za-z0-9]*)=(.*)$/.exec(o);
      if (!m) throw usage(`--ssh-option takes NAME=VALUE (an ssh_config option); got ${JSON.stringify(o)}`);
      sshOptions[m[1]!] = m[2]!;
    }
    const reports = await runOnComputers(command as RemoteCommand, {
      computers: v['computer'] as string[],
      ...(v['ssh-user'] === undefined ? {} : { sshUser: v['ssh-user'] as string }),
      ...(v['ssh-key'] === undefined ? {} : { sshKeyFile: v['ssh-key'] as string }),
      ...(Object.keys(sshOptions).length ? { sshOptions } : {}),
      ...(throttle === undefined ? {} : { throttleLimit: Number(throttle) }),
      ...(v['config'] === undefined ? {} : { config: v['config'] as string }),
      sites,
      siteDefaults: v['site-defaults'] === true,
      settings: requested,
      ...(v['setting'] === undefined ? {} : { resetSettings: v['setting'] as string[] }),
      ...(byDesired ? { desired: readDesired(v['desired'] as string, io) } : {}),
      whatIf: v['what-if'] === true,
    });
    io.stdout(json ? `${JSON.stringify({ servers: reports }, null, 2)}\n` : formatReports(reports));
    return reports.every((r) => r.ok) ? 0 : 1;
  } catch (e) {
    if (!isIisFtpsError(e)) {
      io.stderr(`iis-ftps: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
      return 1;
    }
    io.stderr(json ? `${JSON.stringify({ error: e.toJSON() })}\n` : `iis-ftps: ${e.message}\n  (${e.code})\n`);
    return exitCodeFor(e.code);
  }
}
