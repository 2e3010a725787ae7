import { asciiUpper, say } from '../codecs/index.js';
import { IisFtpsError, type Result, fail, ok } from '../errors/errors.js';
import { type SettingDef, findSetting, settingNames } from './index.js';

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

export function unknownSetting(name: string): IisFtpsError {
  const lower = name.toLowerCase();
  const near = settingNames.filter((s) => distance(s.toLowerCase(), lower) <= Math.max(3, Math.floor(s.length / 3)) || s.toLowerCase().includes(lower));
  const hint = near.length ? ` Did you mean ${near.join(' or ')}?` : '';
  return new IisFtpsError('UNKNOWN_SETTING', `Unknown setting ${JSON.stringify(name)}.${hint} Settings: ${settingNames.join(', ')}`, {
    setting: name,
    allowed: settingNames,
  });
}

/** Looks a setting up by name, option or `element.attribute`. */
export function resolveSetting(name: string): Result<SettingDef> {
  const def = findSetting(name);
  return def ? ok(def) : fail(unknownSetting(name));
}

/**
 * The INVALID_VALUE message, as templates (the PowerShell module words its refusals from the same
 * data, through schema.json): the setting, the codec's reason, a hint when the value belongs to
 * another attribute (`notHere`), and what is allowed, joined by `allowedSeparator`.
 */
export const INVALID_VALUE_MESSAGES = {
  invalidValue: 'Invalid value for {setting}: {reason}.{hint} Allowed: {allowed}',
  hint: ' {hint}.',
  allowedSeparator: ', ',
  /** INVALID_DESIRED_STATE for a desired state's shape: where (siteDefaults, sites, the document) and why. */
  invalidDesiredState: 'Invalid desired state at {where}: {reason}. Expected { "siteDefaults": { SETTING: VALUE }, "sites": { "SITE NAME": { SETTING: VALUE } } }',
} as const;

/** Validates one value for one setting: the canonical value, or an error naming the setting, the value and what is allowed. */
export function validateValue(def: SettingDef, value: unknown): Result<unknown> {
  const r = def.def.parse(value);
  if (r.ok) return ok(r.value);
  const allowed = r.refusal.allowed;
  const hint = typeof value === 'string' ? def.def.notHere?.[Object.keys(def.def.notHere ?? {}).find((k) => asciiUpper(k) === asciiUpper(value.trim())) ?? ''] : undefined;
  const message = say(INVALID_VALUE_MESSAGES.invalidValue, {
    setting: def.name,
    reason: r.refusal.reason,
    hint: hint ? say(INVALID_VALUE_MESSAGES.hint, { hint }) : '',
    allowed: allowed.join(INVALID_VALUE_MESSAGES.allowedSeparator),
  });
  return fail(new IisFtpsError('INVALID_VALUE', message, { setting: def.name, value, allowed }));
}

/**
 * A validated request: setting -> canonical value, or null to reset it, in the order given. Only
 * the functions below make one, so a layer handed one (the session) knows it was checked and
 * does not check it again.
 */
export type ValidatedSettings = ReadonlyMap<SettingDef, unknown>;

/** Every ValidatedSettings made here: `isValidated` tells them from a map made elsewhere. */
const issued = new WeakSet<object>();

function issue(values: Map<SettingDef, unknown>): ValidatedSettings {
  issued.add(values);
  return values;
}

/** True for a ValidatedSettings made by this module (not a map put together elsewhere). */
export function isValidated(values: unknown): values is ValidatedSettings {
  return typeof values === 'object' && values !== null && issued.has(values);
}

/** Resolves and validates each entry in order, handing each on; the first problem ends it. */
function validateEach(input: Readonly<Record<string, unknown>>, take: (def: SettingDef, value: unknown) => void): Result<true> {
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined) continue;
    const def = resolveSetting(name);
    if (!def.ok) return def;
    if (value === null) {
      take(def.value, null);
      continue;
    }
    const v = validateValue(def.value, value);
    if (!v.ok) return v;
    take(def.value, v.value);
  }
  return ok(true);
}

/**
 * Validates a map of setting name -> value (null = reset) before any backend is touched.
 * Stops at the first problem, in the order the names are given, and returns it.
 */
export function validateSettings(input: Readonly<Record<string, unknown>>): Result<ValidatedSettings> {
  const out = new Map<SettingDef, unknown>();
  const r = validateEach(input, (def, value) => out.set(def, value));
  return r.ok ? ok(issue(out)) : r;
}

/** As validateSettings, with the values to set and the settings to reset (null) apart, each in the order given. */
export function validateChanges(input: Readonly<Record<string, unknown>>): Result<{ readonly sets: ValidatedSettings; readonly resets: ValidatedSettings }> {
  const sets = new Map<SettingDef, unknown>();
  const resets = new Map<SettingDef, unknown>();
  const r = validateEach(input, (def, value) => (value === null ? resets : sets).set(def, value));
  return r.ok ? ok({ sets: issue(sets), resets: issue(resets) }) : r;
}

/** Settings to reset, by name, option or `element.attribute`: each resolved in order, the first unknown one returned. */
export function validateResets(names: readonly string[]): Result<ValidatedSettings> {
  const out = new Map<SettingDef, unknown>();
  for (const name of names) {
    const def = resolveSetting(name);
    if (!def.ok) return def;
    out.set(def.value, null);
  }
  return ok(issue(out));
}
