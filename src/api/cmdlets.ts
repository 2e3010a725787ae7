import { IisFtpsError } from '../errors/errors.js';
import { type SettingName, settingNames } from '../schema/index.js';
import { validateResets, validateSettings } from '../schema/validate.js';
import type { FtpsSession, SettingsReport, SiteIdentity } from '../session/session.js';
import { type Target, checkTarget } from '../session/target.js';
import type { Finding } from '../doctor/rules.js';
import { type ConnectionOptions, type SessionMode, withSession, writeMode } from './connection.js';
import type { ChangeReport } from './commit.js';
import { type Selection, type SelectionOptions, checkSelection, isBulkSelection, resolveSelection, sessionOptionsFor } from './selection.js';
import type { ProgressOptions } from './progress.js';

export type TargetOptions = Target;

/** Opens a session on what a selection needs (reporting the read), and resolves the selection in it to the sites found. */
function withSelection<T>(options: ConnectionOptions & ProgressOptions, selection: Selection, work: (session: FtpsSession, targets: SiteIdentity[]) => Promise<T>, mode: SessionMode = 'read'): Promise<T> {
  options.onProgress?.({ phase: 'read', done: 0, total: 1 });
  return withSession(
    options,
    sessionOptionsFor(selection),
    async (session) => {
      options.onProgress?.({ phase: 'read', done: 1, total: 1 });
      return work(session, resolveSelection(session, selection));
    },
    mode,
  );
}

/** Stages for every target in steps, then commits all of them at once (or, with whatIf, describes them). */
async function stageAndFinish(session: FtpsSession, targets: readonly SiteIdentity[], stage: (chunk: readonly SiteIdentity[]) => void, whatIf: boolean, options: ProgressOptions): Promise<ChangeReport> {
  // Loaded here, not with the module: a read needs neither.
  const [{ inSteps, phase }, { finish }] = await Promise.all([import('./progress.js'), import('./commit.js')]);
  inSteps(targets, stage, options.onProgress);
  return phase('commit', options.onProgress, () => finish(session, whatIf));
}

/**
 * The effective settings of several sites at once (or one target): `sites`, `siteIds`,
 * `siteLike` patterns and `allFtpSites` in any union, each site once, named ones first.
 */
export async function getFtpsSettings(options: ConnectionOptions & SelectionOptions & ProgressOptions): Promise<SettingsReport[]> {
  const selection = checkSelection(options);
  return withSelection(options, selection, async (session, targets) => targets.map((t) => session.get(t)));
}

/** Get-IisFtpsSetting: the effective settings of a site or of siteDefaults, each with its source. */
export async function getFtpsSetting(options: ConnectionOptions & TargetOptions): Promise<SettingsReport> {
  const target = checkTarget(options);
  return withSession(options, { targets: [target] }, async (session) => session.get(target));
}

export interface SetOptions {
  /** Setting name -> value, e.g. `{ clientCertificatePolicy: 'CertRequire' }`. Names as in the schema. */
  readonly settings: Readonly<Partial<Record<SettingName, unknown>>>;
  /** Describe the change (and a diff, on a file) but write nothing. */
  readonly whatIf?: boolean;
}

/**
 * Set-IisFtpsSetting: sets settings at one level, or on many sites (`sites`, `siteIds`,
 * `siteLike`, `allFtpSites`), in one atomic commit. Values already set so at that level change
 * nothing; when nothing changes, nothing is written.
 */
export async function setFtpsSetting(options: ConnectionOptions & SelectionOptions & SetOptions & ProgressOptions): Promise<ChangeReport> {
  const selection = checkSelection(options);
  const v = validateSettings(options.settings ?? {});
  if (!v.ok) throw v.error;
  if (v.value.size === 0) throw new IisFtpsError('USAGE', `Name at least one setting to set. Settings: ${settingNames.join(', ')}`);
  if ([...v.value.values()].includes(null)) throw new IisFtpsError('USAGE', 'A null value resets a setting; use resetFtpsSetting for that');
  // The session stages what was validated here; it does not check the values again.
  return withSelection(
    options,
    selection,
    (session, targets) => stageAndFinish(session, targets, (chunk) => session.stage(chunk, v.value), options.whatIf ?? false, options),
    writeMode(options.whatIf),
  );
}

export interface ResetOptions {
  /** Settings to reset; all of them when omitted. */
  readonly settings?: readonly string[];
  readonly whatIf?: boolean;
}

/** Reset-IisFtpsSetting: removes settings at one level, or on many sites, so they inherit again; one commit. */
export async function resetFtpsSetting(options: ConnectionOptions & SelectionOptions & ResetOptions & ProgressOptions): Promise<ChangeReport> {
  const selection = checkSelection(options);
  const v = validateResets(options.settings ?? settingNames);
  if (!v.ok) throw v.error;
  return withSelection(
    options,
    selection,
    (session, targets) => stageAndFinish(session, targets, (chunk) => session.stage(chunk, v.value), options.whatIf ?? false, options),
    writeMode(options.whatIf),
  );
}

export interface TestResult {
  readonly target: SettingsReport['target'];
  readonly findings: readonly Finding[];
}

export interface TestReport {
  /** False when any rule of severity `error` is broken. */
  readonly ok: boolean;
  readonly results: readonly TestResult[];
}

/**
 * Test-IisFtpsSetting: checks the spec's dependency rules (and warnings) on one site, or on
 * siteDefaults and every site with an FTP binding.
 */
export async function testFtpsSetting(options: ConnectionOptions & SelectionOptions & ProgressOptions): Promise<TestReport> {
  const named = isBulkSelection(options) || options.site !== undefined || options.siteId !== undefined || options.siteDefaults !== undefined;
  // Without a target: siteDefaults and every FTP site.
  const selection: Selection = named ? checkSelection(options) : { targets: [{ siteDefaults: true }], patterns: [], allFtpSites: true, bulk: true, noFtpSitesOk: true };
  // The rules are loaded when asked for: get and set need none of them.
  const [{ diagnose }, { doctorContexts }] = await Promise.all([import('../doctor/rules.js'), import('../doctor/context.js')]);
  return withSelection(options, selection, async (session, targets) => {
    const context = doctorContexts(session);
    const results: TestResult[] = [];
    for (const t of targets) {
      const report = session.get(t);
      results.push({ target: report.target, findings: diagnose(report.settings, await context(report)) });
    }
    return { ok: results.every((r) => r.findings.every((f) => f.severity !== 'error')), results };
  });
}
