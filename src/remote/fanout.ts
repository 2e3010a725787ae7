import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { resolvePowerShell } from '../backends/powershell/executable.js';
import { IisFtpsError } from '../errors/errors.js';
import { settings } from '../schema/index.js';
import { validateSettings } from '../schema/validate.js';
import type { SiteIdentity } from '../session/session.js';

/**
 * The same command on many servers, from Node: one local PowerShell 7 runs the module's cmdlet once
 * per server (its -ComputerName or -HostName fan-out, one session per server), at most
 * `throttleLimit` at a time, and hands back one report per server. The script is fixed; the
 * command, parameters and servers go to it as JSON on stdin, so nothing given becomes code.
 */

export type RemoteCommand = 'get' | 'set' | 'reset' | 'apply' | 'test' | 'doctor';

export interface RemoteOptions {
  /** Servers: `NAME` (WinRM) or `ssh://[user@]host[:port]` (SSH). */
  readonly computers: readonly string[];
  /** With ssh:// servers: the user (unless the address names one), the key file and ssh options. */
  readonly sshUser?: string;
  readonly sshKeyFile?: string;
  readonly sshOptions?: Readonly<Record<string, string>>;
  readonly throttleLimit?: number;
  /** A configuration file, resolved on each server (`~/...` is that server's home). */
  readonly config?: string;
  readonly sites?: readonly string[];
  readonly siteDefaults?: boolean;
  /** set: setting -> value; checked here before any server is contacted. */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** reset: the settings to reset (all when omitted). */
  readonly resetSettings?: readonly string[];
  /** apply, test: a desired state (apply's document); checked here before any server is contacted. */
  readonly desired?: unknown;
  readonly whatIf?: boolean;
}

/** test: one setting of one level of a server that is not as desired (as SettingDrift, with the server's identity of the site). */
export interface RemoteDrift {
  readonly target: Pick<SiteIdentity, 'level' | 'name' | 'id'>;
  readonly setting: string;
  readonly actual: unknown;
  readonly desired: unknown;
  readonly problem?: string;
}

export interface ServerReport {
  readonly computer: string;
  readonly ok: boolean;
  /** set, reset: the changes, "target: setting: old -> new". */
  readonly changes?: readonly string[];
  readonly whatIf?: boolean;
  /** get: the settings of each target; doctor: the findings. */
  readonly results?: readonly unknown[];
  /** test: whether the server is in the desired state, and the settings that are not. */
  readonly inDesiredState?: boolean;
  readonly differences?: readonly RemoteDrift[];
  readonly error?: { readonly code: string; readonly message: string };
}

const MODULE = fileURLToPath(new URL('../../Manifest.psd1', import.meta.url));

/** What the report line starts with, so that nothing else printed to stdout is taken for it. */
export const REPORT_MARKER = 'IIS-FTPS-REMOTE-REPORT ';

const SCRIPT = `
$ErrorActionPreference = 'Stop'
$in = [Console]::In.ReadToEnd() | ConvertFrom-Json -AsHashtable
$rows = $in.computers | ForEach-Object -ThrottleLimit $in.throttleLimit -Parallel {
    $in = $using:in
    $c = $_
    $p = @{}
    foreach ($k in $in.parameters.Keys) { $p[$k] = $in.parameters[$k] }
    if ($c.ssh) {
        $p.HostName = $c.host
        if ($in.sshKeyFile) { $p.KeyFilePath = $in.sshKeyFile }
        if ($in.sshOptions) { $p.SSHOption = $in.sshOptions }
    } else { $p.ComputerName = $c.host }
    $errs = $null
    $out = @()
    try {
        Import-Module $in.module
        $names = @($in.siteNames)
        $out = @(if ($names.Count -gt 0) { $names | & $in.command @p -ErrorAction SilentlyContinue -ErrorVariable errs } else { & $in.command @p -ErrorAction SilentlyContinue -ErrorVariable errs })
    } catch { $errs = @($_) }
    [pscustomobject]@{
        computer = $c.label
        output = @($out | ForEach-Object { $_ | Select-Object -Property * -ExcludeProperty PSComputerName, RunspaceId, PSShowComputerName })
        errors = @($errs | Where-Object { $null -ne $_ } | ForEach-Object { [pscustomobject]@{ code = ([string]$_.FullyQualifiedErrorId).Split(',')[0]; message = $_.Exception.Message } })
    }
}
try { $json = ConvertTo-Json -InputObject @($rows) -Depth 6 -Compress } catch { [Console]::Error.WriteLine($_.Exception.Message); exit 1 }
[Console]::Out.WriteLine('')
[Console]::Out.WriteLine('${REPORT_MARKER}' + $json)
`;

const CMDLETS: Record<RemoteCommand, string> = {
  get: 'Get-IisFtpsSetting',
  set: 'Set-IisFtpsSetting',
  reset: 'Reset-IisFtpsSetting',
  apply: 'Set-IisFtpsSetting', // -DesiredState
  test: 'Test-IisFtpsSetting', // -DesiredState
  doctor: 'Test-IisFtpsSetting',
};
/** The commands that change a configuration: one result per server says what changed. */
const CHANGING: readonly RemoteCommand[] = ['set', 'reset', 'apply'];
const pascal = (name: string): string => name[0]!.toUpperCase() + name.slice(1);

/** A server address as the cmdlets take it: `ssh://user@host:port` -> HostName `user@host:port`. */
function parseComputer(address: string, sshUser: string | undefined): { label: string; host: string; ssh: boolean } {
  if (address === '') throw new IisFtpsError('USAGE', '--computer needs a server name');
  if (!address.startsWith('ssh://')) {
    if (/[\s/]/.test(address)) throw new IisFtpsError('USAGE', `--computer ${JSON.stringify(address)} is not a server name; for SSH write ssh://[user@]host[:port]`);
    return { label: address, host: address, ssh: false };
  }
  const m = /^ssh:\/\/(?:([^@/\s]+)@)?([^@/:\s]+|\[[0-9a-fA-F:.]+\])(?::(\d{1,5}))?\/?$/.exec(address);
  if (!m) throw new IisFtpsError('USAGE', `--computer ${JSON.stringify(address)}: write ssh://[user@]host[:port]`);
  const user = m[1] ?? sshUser;
  return { label: address, host: `${user ? `${user}@` : ''}${m[2]}${m[3] ? `:${m[3]}` : ''}`, ssh: true };
}

/** A desired state, checked, as plain canonical data: { siteDefaults?: { name: value }, sites?: { NAME: { name: value } } }. */
async function desiredOf(command: RemoteCommand, desired: unknown): Promise<Record<string, unknown>> {
  if (desired === undefined) throw new IisFtpsError('USAGE', `${command} on servers needs a desired state (--desired FILE.json)`);
  const { parseDesiredState } = await import('../api/apply.js');
  const out: { siteDefaults?: Record<string, unknown>; sites?: Record<string, Record<string, unknown>> } = {};
  for (const { target, sets, resets } of parseDesiredState(desired).entries) {
    const values = Object.fromEntries([...sets, ...resets].map(([def, v]) => [def.name, v]));
    if ('siteDefaults' in target) out.siteDefaults = values;
    else if ('site' in target) (out.sites ??= {})[target.site] = values;
  }
  return out;
}

/** The cmdlet's parameters for a request, values checked and canonical. */
async function parametersOf(command: RemoteCommand, o: RemoteOptions): Promise<Record<string, unknown>> {
  const p: Record<string, unknown> = {};
  if (command === 'apply' || command === 'test') {
    if (o.siteDefaults || o.sites?.length) throw new IisFtpsError('USAGE', `${command} takes its targets from the desired state; it goes with no --site or --site-defaults`);
    p['DesiredState'] = await desiredOf(command, o.desired);
  } else if (o.desired !== undefined) throw new IisFtpsError('USAGE', `A desired state goes with apply and test, not ${command}`);
  if (o.siteDefaults) p['SiteDefaults'] = true;
  if (o.config !== undefined) p['ConfigPath'] = o.config;
  if (command === 'set') {
    const v = validateSettings(o.settings ?? {});
    if (!v.ok) throw v.error;
    if (v.value.size === 0) throw new IisFtpsError('USAGE', `Name at least one setting to set. Settings: ${settings.map((s) => s.name).join(', ')}`);
    for (const [def, value] of v.value) p[pascal(def.name)] = value;
  }
  if (command === 'reset' && o.resetSettings?.length) {
    const v = validateSettings(Object.fromEntries(o.resetSettings.map((n) => [n, null])));
    if (!v.ok) throw v.error;
    p['Setting'] = [...v.value.keys()].map((d) => d.name);
  }
  if (CHANGING.includes(command) && o.whatIf) p['WhatIf'] = true;
  return p;
}

function runPwsh(exe: string, input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(exe, ['-NoProfile', '-NonInteractive', '-Command', SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** An IisFtps.Drift object, as ConvertTo-Json gave it, as a RemoteDrift. */
function driftOf(o: Record<string, unknown>): RemoteDrift {
  const problem = o['Problem'];
  return {
    target: { level: o['Level'] === 'siteDefaults' ? 'siteDefaults' : 'site', name: (o['SiteName'] as string | null) ?? null, id: (o['SiteId'] as number | null) ?? null },
    setting: String(o['Setting']),
    actual: o['Actual'] ?? null,
    desired: o['Desired'] ?? null,
    ...(typeof problem === 'string' ? { problem } : {}),
  };
}

/**
 * The per-server rows in the fan-out script's output, or null when there are none. The report
 * follows its marker: ssh itself may print to the same stdout before it ("Connection refused"),
 * without a line end of its own. Pure: text in, rows out.
 */
export function reportOf(stdout: string): unknown[] | null {
  const at = stdout.lastIndexOf(REPORT_MARKER);
  if (at < 0) return null;
  try {
    const rows: unknown = JSON.parse(stdout.slice(at + REPORT_MARKER.length).split('\n')[0]!);
    return Array.isArray(rows) ? rows : null;
  } catch {
    return null;
  }
}

type Row = { computer: string; output: Record<string, unknown>[]; errors: { code: string; message: string }[] };

/** Runs one command on every server; one report per server, in the order given. Never stops at a failing server. */
export async function runOnComputers(command: RemoteCommand, options: RemoteOptions): Promise<ServerReport[]> {
  if (!options.computers.length) throw new IisFtpsError('USAGE', 'Name at least one server with --computer');
  if (!options.siteDefaults && !options.sites?.length && (command === 'get' || command === 'set' || command === 'reset')) throw new IisFtpsError('USAGE', 'Name a target for the servers: --site NAME... or --site-defaults');
  const computers = options.computers.map((c) => parseComputer(c, options.sshUser));
  const parameters = await parametersOf(command, options);
  const pwsh = resolvePowerShell(process.env['IIS_FTPS_PWSH'] ?? 'pwsh');
  if (!pwsh) throw new IisFtpsError('BACKEND_UNAVAILABLE', 'Running on other servers needs PowerShell 7 (pwsh) here, for its remoting: install it (https://aka.ms/powershell) or put it on PATH');
  const input = JSON.stringify({
    module: MODULE,
    command: CMDLETS[command],
    parameters,
    siteNames: options.siteDefaults ? [] : (options.sites ?? []),
    computers,
    throttleLimit: options.throttleLimit ?? 32,
    sshKeyFile: options.sshKeyFile ?? null,
    sshOptions: options.sshOptions ?? null,
  });
  const r = await runPwsh(pwsh.path, input);
  const rows = reportOf(r.stdout) as Row[] | null;
  if (!rows) throw new IisFtpsError('BACKEND_FAILED', `PowerShell (${pwsh.path}) exited with ${r.code} without a report: ${r.stderr.trim().slice(0, 2000)}`);
  return computers.map(({ label }) => {
    const row = rows.find((x) => x.computer === label);
    if (!row) return { computer: label, ok: false, error: { code: 'BACKEND_FAILED', message: 'no report from this server' } };
    const error = row.errors[0];
    if (CHANGING.includes(command)) {
      const result = row.output.find((o) => 'Succeeded' in o) as { Succeeded?: boolean; WhatIf?: boolean; Changes?: string[] | string; ErrorCode?: string; Error?: string } | undefined;
      const changes = result?.Changes === undefined || result.Changes === null ? [] : ([] as string[]).concat(result.Changes);
      const ok = result?.Succeeded === true && row.errors.length === 0;
      const failure = result && !result.Succeeded ? { code: result.ErrorCode ?? 'BACKEND_FAILED', message: result.Error ?? '' } : error;
      return ok ? { computer: label, ok, whatIf: result!.WhatIf === true, changes } : { computer: label, ok, whatIf: options.whatIf === true, changes, error: failure ?? { code: 'BACKEND_FAILED', message: 'no result' } };
    }
    if (command === 'test') {
      if (error) return { computer: label, ok: false, error };
      const differences = row.output.map(driftOf);
      return { computer: label, ok: differences.length === 0, inDesiredState: differences.length === 0, differences };
    }
    const results = row.output;
    const ok = row.errors.length === 0 && (command !== 'doctor' || results.every((f) => f['Severity'] !== 'error'));
    return error ? { computer: label, ok, results, error } : { computer: label, ok, results };
  });
}
