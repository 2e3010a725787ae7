import { type ConnectionOptions, withSession } from '../api/connection.js';
import { finish } from '../api/commit.js';
import { levelValues, sameValue } from '../api/drift.js';
import { retryOnConflict } from '../api/restore.js';
import { IisFtpsError, isIisFtpsError } from '../errors/errors.js';
import { type SettingDef, type SettingName, settings } from '../schema/index.js';
import { validateSettings } from '../schema/validate.js';
import type { FtpsSession, PlannedChange, SessionOptions, SettingsReport } from '../session/session.js';
import { type Target, describeTarget } from '../session/target.js';
import { TARGET_KEYS, exportInputSchema, instanceSchema } from './schema.js';

/**
 * The operations of the DSC resource `IisFtps/Setting` on the same session as every other command.
 *
 * An instance's setting describes what is set at the target's own level: a value is set there
 * (an equal value only inherited from siteDefaults is not "so": setting it pins it, as `apply`
 * does), and null means nothing is set there, so the setting inherits. Get and export report
 * that, and a get's output given back to set changes nothing.
 */

/** A log line for DSC (it reads `{"error"}`, `{"warn"}`, `{"info"}` objects from stderr). */
export interface DscLog {
  readonly level: 'error' | 'warn' | 'info';
  readonly message: string;
}

export interface ParsedInstance {
  /** The target keys as given (`site`, `siteId` or `siteDefaults`), echoed in every output. */
  readonly key: Record<string, unknown>;
  readonly target: Target;
  readonly configPath?: string;
  /** The managed settings, in schema order: canonical value, or null to inherit. */
  readonly wanted: ReadonlyMap<SettingDef, unknown>;
}

/** An instance as the CLI prints it: target, configPath, settings; `_inDesiredState` in test. */
export type InstanceState = Record<string, unknown>;

export interface OperationResult {
  /** JSON lines for stdout: the state, then (for set and test) the names of the properties that differ. */
  readonly lines: readonly unknown[];
  readonly logs: readonly DscLog[];
}

/** Checks an instance against the instance schema (the same one the manifest embeds), then canonicalises its values. */
export function parseInstance(input: unknown): ParsedInstance {
  const r = instanceSchema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const where = issue.path.length ? issue.path.map(String).join('.') : 'the instance';
    throw new IisFtpsError('INVALID_DESIRED_STATE', `Invalid IisFtps/Setting instance at ${where}: ${issue.message}. Properties: ${[...TARGET_KEYS, 'configPath', ...settings.map((s) => s.name)].join(', ')}`);
  }
  const instance = r.data as Record<string, unknown>;
  const values = Object.fromEntries(settings.filter((s) => instance[s.name] !== undefined).map((s) => [s.name, instance[s.name]]));
  const v = validateSettings(values);
  if (!v.ok) throw v.error;
  const wanted = new Map([...v.value].sort((a, b) => settings.indexOf(a[0]) - settings.indexOf(b[0])));
  const k = TARGET_KEYS.find((t) => instance[t] !== undefined)!;
  const target: Target = k === 'site' ? { site: instance['site'] as string } : k === 'siteId' ? { siteId: instance['siteId'] as number } : { siteDefaults: true };
  const configPath = instance['configPath'] as string | undefined;
  return { key: { [k]: instance[k] }, target, ...(configPath === undefined ? {} : { configPath }), wanted };
}

/**
 * Runs work on a session of the live IIS, or of the file configPath names. Without a file and
 * without a live IIS, the backend's advice (pass --config) is given in the instance's words.
 */
async function open<T>(configPath: string | undefined, options: SessionOptions, work: (session: FtpsSession) => Promise<T>): Promise<T> {
  const connection: ConnectionOptions = { backend: 'auto', ...(configPath === undefined ? {} : { config: configPath }) };
  try {
    return await withSession(connection, options, work);
  } catch (e) {
    if (configPath === undefined && isIisFtpsError(e) && e.code === 'USAGE') {
      const why = e.message.replace(/\.?\s*Pass --config PATH.*$/s, '');
      throw new IisFtpsError('BACKEND_UNAVAILABLE', `${why}. Name a configPath in the instance to work on an applicationHost.config file instead.`, {}, { cause: e });
    }
    throw e;
  }
}

const label = (report: SettingsReport): string =>
  report.target.level === 'siteDefaults' ? 'siteDefaults' : `site ${JSON.stringify(report.target.name)}${report.target.id === null ? '' : ` (id ${report.target.id})`}`;

const problemLogs = (report: SettingsReport, problems: Map<SettingName, string>): DscLog[] =>
  [...problems].map(([name, problem]) => ({ level: 'warn', message: `${label(report)}: ${name}: ${problem}; it counts as not in the desired state until set or reset` }));

function stateOf(parsed: ParsedInstance, values: Record<string, unknown>): InstanceState {
  return { ...parsed.key, ...(parsed.configPath === undefined ? {} : { configPath: parsed.configPath }), ...values };
}

/** The settings an instance manages, or all of them when it names none. */
const managed = (parsed: ParsedInstance): SettingDef[] => (parsed.wanted.size ? [...parsed.wanted.keys()] : [...settings]);

async function read(parsed: ParsedInstance): Promise<SettingsReport> {
  return open(parsed.configPath, { targets: [parsed.target] }, async (session) => session.get(parsed.target));
}

/** get: what the target sets itself, for the settings the instance names (all when it names none). */
export async function dscGet(input: unknown): Promise<OperationResult> {
  const parsed = parseInstance(input);
  const report = await read(parsed);
  const { values, problems } = levelValues(report, managed(parsed));
  return { lines: [stateOf(parsed, values)], logs: problemLogs(report, problems) };
}

/** The names of the managed settings that are not as wanted (a stored value that cannot be read is never as wanted). */
function differing(parsed: ParsedInstance, values: Record<string, unknown>, problems: Map<SettingName, string>): SettingName[] {
  return [...parsed.wanted].filter(([def, want]) => problems.has(def.name) || !sameValue(values[def.name], want)).map(([def]) => def.name);
}

/** test: the actual state with `_inDesiredState`, then the names of the settings that differ. */
export async function dscTest(input: unknown): Promise<OperationResult> {
  const parsed = parseInstance(input);
  const report = await read(parsed);
  const { values, problems } = levelValues(report, managed(parsed));
  const diff = differing(parsed, values, problems);
  return { lines: [{ ...stateOf(parsed, values), _inDesiredState: diff.length === 0 }, diff], logs: problemLogs(report, problems) };
}

function stage(session: FtpsSession, parsed: ParsedInstance): void {
  const sets = Object.fromEntries([...parsed.wanted].filter(([, v]) => v !== null).map(([d, v]) => [d.name, v]));
  const resets = [...parsed.wanted].filter(([, v]) => v === null).map(([d]) => d.name);
  if (Object.keys(sets).length) session.set(parsed.target, sets);
  if (resets.length) session.reset(parsed.target, resets);
}

const show = (v: unknown): string => (v === null ? '(not set)' : Array.isArray(v) ? (v.length ? v.join(', ') : '(none)') : String(v));
const changeLine = (c: PlannedChange, whatIf: boolean): DscLog => ({
  level: 'info',
  message: `${whatIf ? 'What if: ' : ''}${c.target.level === 'siteDefaults' ? 'siteDefaults' : `site ${JSON.stringify(c.target.name)}`}: ${c.setting}: ${show(c.old)} -> ${c.new === null ? `(inherits ${show(c.effective.value)} from ${c.effective.source})` : show(c.new)}`,
});

/**
 * set: changes what differs in one commit (nothing when everything is so, then nothing is
 * written), and prints the state after and the names of the settings it changed. With whatIf it
 * prints the state it would leave and writes nothing.
 */
export async function dscSet(input: unknown, options: { readonly whatIf?: boolean; readonly retries?: number } = {}): Promise<OperationResult> {
  const parsed = parseInstance(input);
  const whatIf = options.whatIf ?? false;
  if (parsed.wanted.size === 0) {
    throw new IisFtpsError('INVALID_DESIRED_STATE', `The instance for ${describeTarget(parsed.target)} names no setting, so set has nothing to manage. Settings: ${settings.map((s) => s.name).join(', ')}`);
  }
  const report = await retryOnConflict(options.retries ?? 3, () =>
    open(parsed.configPath, { targets: [parsed.target] }, async (session) => {
      stage(session, parsed);
      return finish(session, whatIf);
    }),
  );
  const changed = [...new Set(report.changes.map((c) => c.setting))];
  const logs = report.changes.map((c) => changeLine(c, whatIf));
  if (report.changes.length === 0) logs.push({ level: 'info', message: `${describeTarget(parsed.target)}: every managed setting is already so; nothing was written` });
  const defs = managed(parsed);
  let values: Record<string, unknown>;
  if (whatIf) {
    // The state it would leave: what is there now, with the wanted values in place.
    const now = levelValues(await read(parsed), defs).values;
    values = Object.fromEntries(defs.map((d) => [d.name, parsed.wanted.has(d) ? parsed.wanted.get(d) : now[d.name]]));
  } else values = levelValues(await read(parsed), defs).values;
  return { lines: [stateOf(parsed, values), changed], logs };
}

/**
 * export: every FTP site (a site with an ftp binding) as an instance with all its settings, after
 * one for siteDefaults, read in one session. The input may name a configPath; nothing else.
 */
export async function dscExport(input: unknown): Promise<OperationResult> {
  const r = exportInputSchema.safeParse(input ?? {});
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new IisFtpsError('INVALID_DESIRED_STATE', `Invalid export input: ${issue.message}. Export takes { "configPath": FILE } or nothing (the live IIS)`);
  }
  const configPath = r.data.configPath;
  const at = configPath === undefined ? {} : { configPath };
  return open(configPath, { allSites: true }, async (session) => {
    const lines: InstanceState[] = [];
    const logs: DscLog[] = [];
    const add = (key: Record<string, unknown>, target: Target) => {
      const report = session.get(target);
      const { values, problems } = levelValues(report, settings);
      logs.push(...problemLogs(report, problems));
      lines.push({ ...key, ...at, ...values });
    };
    add({ siteDefaults: true }, { siteDefaults: true });
    for (const site of session.sites) if (site.protocols.includes('ftp')) add({ site: site.name }, { site: site.name });
    return { lines, logs };
  });
}
