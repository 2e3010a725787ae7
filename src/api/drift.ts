import { type SettingDef, type SettingName, settings } from '../schema/index.js';
import type { SettingsReport, SiteIdentity } from '../session/session.js';
import { parseDesiredState } from './apply.js';
import { type ConnectionOptions, withSession } from './connection.js';

/**
 * Drift: how a configuration differs from a desired state (`apply`'s document). A setting the
 * desired state names differs when what its level sets itself is not the desired value: a value
 * only inherited from siteDefaults is not "set" (applying pins it), and null wants nothing set
 * there. So the settings that drift are exactly those `apply` would change.
 */

/** One setting of one level that is not as desired. */
export interface SettingDrift {
  readonly target: SiteIdentity;
  readonly setting: SettingName;
  /** What the level sets itself now, or null when it inherits. */
  readonly actual: unknown;
  /** What the desired state wants set there, or null to inherit. */
  readonly desired: unknown;
  /** Why the stored value cannot be read, when it cannot (such a value never counts as desired). */
  readonly problem?: string;
}

export interface DriftReport {
  /** True when no setting the desired state names differs. */
  readonly inDesiredState: boolean;
  /** How many settings the desired state names, over all its levels. */
  readonly checked: number;
  readonly differences: readonly SettingDrift[];
}

/** What a level sets itself, per setting: the value, or null when it inherits; and the values stored there that cannot be read. */
export function levelValues(report: SettingsReport, defs: Iterable<SettingDef>): { values: Record<string, unknown>; problems: Map<SettingName, string> } {
  const own = report.target.level === 'siteDefaults' ? 'siteDefaults' : 'site';
  const values: Record<string, unknown> = {};
  const problems = new Map<SettingName, string>();
  for (const def of defs) {
    const e = report.settings[def.element][def.attribute]!;
    if (e.source === own && e.problem !== undefined) problems.set(def.name, e.problem);
    values[def.name] = e.source === own && e.problem === undefined ? e.value : null;
  }
  return { values, problems };
}

/** Canonical values compare by their JSON (flags are lists in a fixed order). */
export const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Compares a configuration with a desired state and writes nothing. The desired state is checked
 * in full first (INVALID_DESIRED_STATE, UNKNOWN_SETTING, INVALID_VALUE); a site it names that does
 * not exist is SITE_NOT_FOUND, as in `apply`.
 */
export async function testFtpsState(options: ConnectionOptions & { readonly desired: unknown }): Promise<DriftReport> {
  const desired = parseDesiredState(options.desired);
  return withSession(options, { targets: desired.entries.map((e) => e.target) }, async (session) => {
    const differences: SettingDrift[] = [];
    let checked = 0;
    for (const { target, sets, resets } of desired.entries) {
      const report = session.get(target);
      const wanted = new Map([...sets, ...resets].sort((a, b) => settings.indexOf(a[0]) - settings.indexOf(b[0])));
      const { values, problems } = levelValues(report, wanted.keys());
      for (const [def, want] of wanted) {
        checked++;
        const problem = problems.get(def.name);
        if (problem === undefined && sameValue(values[def.name], want)) continue;
        differences.push({ target: report.target, setting: def.name, actual: values[def.name], desired: want, ...(problem === undefined ? {} : { problem }) });
      }
    }
    return { inDesiredState: differences.length === 0, checked, differences };
  });
}
