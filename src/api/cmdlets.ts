import { IisFtpsError } from '../errors/errors.js';
import { type SettingName, settingNames } from '../schema/index.js';
import { resolveSetting, validateSettings } from '../schema/validate.js';
import type { SettingsReport } from '../session/session.js';
import { type Target, checkTarget } from '../session/target.js';
import { type Finding, diagnose } from '../doctor/rules.js';
import { type ConnectionOptions, withSession } from './connection.js';
import { type ChangeReport, finish } from './commit.js';

export type TargetOptions = Target;

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
 * Set-IisFtpsSetting: sets settings at one level in one atomic commit. Values already set so at
 * that level change nothing; when nothing changes, nothing is written.
 */
export async function setFtpsSetting(options: ConnectionOptions & TargetOptions & SetOptions): Promise<ChangeReport> {
  const target = checkTarget(options);
  const v = validateSettings(options.settings ?? {});
  if (!v.ok) throw v.error;
  if (v.value.size === 0) throw new IisFtpsError('USAGE', `Name at least one setting to set. Settings: ${settingNames.join(', ')}`);
  if ([...v.value.values()].includes(null)) throw new IisFtpsError('USAGE', 'A null value resets a setting; use resetFtpsSetting for that');
  return withSession(options, { targets: [target] }, async (session) => {
    session.set(target, options.settings);
    return finish(session, options.whatIf ?? false);
  });
}

export interface ResetOptions {
  /** Settings to reset; all of them when omitted. */
  readonly settings?: readonly string[];
  readonly whatIf?: boolean;
}

/** Reset-IisFtpsSetting: removes settings at one level so they inherit again. */
export async function resetFtpsSetting(options: ConnectionOptions & TargetOptions & ResetOptions): Promise<ChangeReport> {
  const target = checkTarget(options);
  for (const name of options.settings ?? []) {
    const r = resolveSetting(name);
    if (!r.ok) throw r.error;
  }
  return withSession(options, { targets: [target] }, async (session) => {
    session.reset(target, options.settings);
    return finish(session, options.whatIf ?? false);
  });
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
export async function testFtpsSetting(options: ConnectionOptions & Partial<{ site: string; siteId: number; siteDefaults: true }>): Promise<TestReport> {
  const named = options.site !== undefined || options.siteId !== undefined || options.siteDefaults !== undefined;
  const target = named ? checkTarget(options) : undefined;
  return withSession(options, target ? { targets: [target] } : { allSites: true }, async (session) => {
    const targets: Target[] = target
      ? [target]
      : [{ siteDefaults: true }, ...session.sites.filter((s) => s.protocols.includes('ftp')).map((s) => ({ site: s.name }))];
    const results = targets.map((t) => {
      const report = session.get(t);
      return { target: report.target, findings: diagnose(report.settings) };
    });
    return { ok: results.every((r) => r.findings.every((f) => f.severity !== 'error')), results };
  });
}
