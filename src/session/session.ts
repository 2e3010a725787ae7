import type { Backend, Change, CommitResult, RawElements, RawSite, RawSnapshot, RawValue, SiteRef } from '../backends/backend.js';
import { IisFtpsError } from '../errors/errors.js';
import { type ElementName, type SettingDef, type SettingName, elementPaths, settings } from '../schema/index.js';
import { type ValidatedSettings, validateSettings } from '../schema/validate.js';
import { type Target, describeTarget, isSiteDefaults } from './target.js';

/** Where an effective value comes from. */
export type Source = 'site' | 'siteDefaults' | 'default';

export interface EffectiveValue {
  /** The canonical value (enum name, flag names, timeSpan text, boolean, text), or null where none is set and IIS has no default. */
  readonly value: unknown;
  readonly source: Source;
  /** Set when the stored value cannot be read; `value` is then null. */
  readonly problem?: string;
}

/** Effective values of every setting of one level: element -> attribute -> value and source. */
export type EffectiveSettings = Record<ElementName, Record<string, EffectiveValue>>;

export interface SiteIdentity {
  readonly level: 'site' | 'siteDefaults';
  readonly name: string | null;
  readonly id: number | null;
  readonly protocols: readonly string[];
}

export interface SettingsReport {
  readonly target: SiteIdentity;
  readonly settings: EffectiveSettings;
}

/** One staged change as a person reads it: the setting at one level, old -> new. */
export interface PlannedChange {
  readonly target: SiteIdentity;
  readonly setting: SettingName;
  readonly element: ElementName;
  readonly attribute: string;
  /** The value set at this level before, or null when it inherited. */
  readonly old: unknown;
  /** The value set at this level after, or null when it is reset to inherit. */
  readonly new: unknown;
  /** The effective value after the change (with its source), which a reset falls back to. */
  readonly effective: EffectiveValue;
}

export interface SessionOptions {
  /** Sites to load. */
  readonly targets?: readonly Target[];
  /** Load every site (bulk selection). */
  readonly allSites?: boolean;
}

const keyOf = (level: 'site' | 'siteDefaults', name: string | null): string => (level === 'siteDefaults' ? 'siteDefaults' : `site:${name!.toUpperCase()}`);

interface Level {
  /** The level's key in the session's maps (keyOf). */
  readonly key: string;
  readonly identity: SiteIdentity;
  readonly raw: RawElements;
}

/** Decodes a raw value through its codec into the canonical value, or reports why it cannot. */
function decodeRaw(def: SettingDef, raw: RawValue): { value: unknown } | { problem: string } {
  const r = def.def.codec.decode(raw);
  return r.ok ? { value: r.value } : { problem: `stored value is invalid: ${r.refusal.reason}` };
}

/** Equal canonical values: text and booleans compare as they are, lists (flags) by their JSON. */
const same = (a: unknown, b: unknown): boolean => {
  const simple = (v: unknown): boolean => typeof v === 'string' || typeof v === 'boolean';
  return simple(a) && simple(b) ? a === b : JSON.stringify(a) === JSON.stringify(b);
};

/**
 * A unit of work on one backend, in the manner of ServerManager: load, stage any number of
 * changes over sites and elements, then `commitChanges()` writes all of them or none.
 * `dispose()` without a commit writes nothing.
 */
export class FtpsSession {
  readonly #backend: Backend;
  readonly #snapshot: RawSnapshot;
  readonly #levels = new Map<string, Level>();
  /** Site levels by id (the first site of each id), for targets named by id. */
  readonly #byId = new Map<number, Level>();
  /** Staged values: level key -> setting -> canonical value or null (remove). Insertion ordered. */
  readonly #staged = new Map<string, Map<SettingDef, unknown>>();
  #closed = false;

  private constructor(backend: Backend, snapshot: RawSnapshot) {
    this.#backend = backend;
    this.#snapshot = snapshot;
    this.#index(snapshot);
  }

  /** Reads what the targets need from the backend and opens a session on it. */
  static async open(backend: Backend, options: SessionOptions = {}): Promise<FtpsSession> {
    const sites: SiteRef[] = (options.targets ?? []).flatMap((t): SiteRef[] => (isSiteDefaults(t) ? [] : 'site' in t ? [{ name: t.site }] : [{ id: t.siteId }]));
    const snapshot = await backend.read({ elements: elementPaths, sites, allSites: options.allSites ?? false });
    return new FtpsSession(backend, snapshot);
  }

  #index(snapshot: RawSnapshot): void {
    this.#levels.set('siteDefaults', { key: 'siteDefaults', identity: { level: 'siteDefaults', name: null, id: null, protocols: [] }, raw: snapshot.siteDefaults });
    for (const s of snapshot.sites) {
      const key = keyOf('site', s.name);
      const level: Level = { key, identity: { level: 'site', name: s.name, id: s.id, protocols: s.protocols }, raw: s.elements };
      this.#levels.set(key, level);
      if (s.id !== null && !this.#byId.has(s.id)) this.#byId.set(s.id, level);
    }
  }

  get backend(): Backend {
    return this.#backend;
  }

  /** The version of the store this session read. */
  get version(): string {
    return this.#snapshot.version;
  }

  /** Every site loaded (all of them after `allSites`). */
  get sites(): readonly RawSite[] {
    return this.#snapshot.sites;
  }

  #check(): void {
    if (this.#closed) throw new IisFtpsError('SESSION_CLOSED', 'This session was committed or disposed; open a new one');
  }

  #level(target: Target): Level {
    if (isSiteDefaults(target)) return this.#levels.get('siteDefaults')!;
    const site = 'site' in target
      ? this.#levels.get(keyOf('site', target.site))
      : this.#byId.get(target.siteId);
    if (!site) throw new IisFtpsError('USAGE', `${describeTarget(target)} was not loaded by this session; name it when opening the session`);
    return site;
  }

  /** The canonical value set at a level (staged changes included), or undefined when not set there. */
  #valueAt(levelKey: string, level: Level, def: SettingDef): { value: unknown } | { problem: string } | undefined {
    const staged = this.#staged.get(levelKey);
    if (staged?.has(def)) {
      const v = staged.get(def);
      return v === null ? undefined : { value: v };
    }
    const raw = level.raw[def.element]?.[def.attribute];
    return raw === undefined ? undefined : decodeRaw(def, raw);
  }

  #effective(level: Level, def: SettingDef): EffectiveValue {
    // The site's own value, else siteDefaults', else the schema's default.
    const from = (source: 'site' | 'siteDefaults', l: Level): EffectiveValue | undefined => {
      const v = this.#valueAt(l.key, l, def);
      return v === undefined ? undefined : 'value' in v ? { value: v.value, source } : { value: null, source, problem: v.problem };
    };
    return (
      (level.identity.level === 'site' ? from('site', level) : undefined) ??
      from('siteDefaults', this.#levels.get('siteDefaults')!) ?? { value: def.def.default, source: 'default' }
    );
  }

  /** Which site (or siteDefaults) a target names in this session's store. */
  identity(target: Target): SiteIdentity {
    this.#check();
    return this.#level(target).identity;
  }

  /** Effective settings of a target, with staged changes applied. */
  get(target: Target): SettingsReport {
    this.#check();
    const level = this.#level(target);
    const out = {} as Record<string, Record<string, EffectiveValue>>;
    for (const def of settings) (out[def.element] ??= {})[def.attribute] = this.#effective(level, def);
    return { target: level.identity, settings: out as EffectiveSettings };
  }

  /** Finds every target before staging any, so a target that was not loaded stages nothing. */
  #stageAll(target: Target | readonly Target[], values: ValidatedSettings): void {
    const levels = (Array.isArray(target) ? target : [target]).map((t: Target) => this.#level(t));
    for (const level of levels) this.#stageAt(level, values);
  }

  #stageAt(level: Level, values: ValidatedSettings): void {
    const key = level.key;
    let staged = this.#staged.get(key);
    if (!staged) this.#staged.set(key, (staged = new Map()));
    for (const [def, value] of values) {
      const raw = level.raw[def.element]?.[def.attribute];
      const original = raw === undefined ? undefined : decodeRaw(def, raw);
      // Back to what the store holds: nothing to write for this attribute.
      const unchanged = value === null ? original === undefined : original !== undefined && 'value' in original && same(original.value, value);
      if (unchanged) staged.delete(def);
      else staged.set(def, value);
    }
  }

  /**
   * Stages values for a target, or for each of several targets. Each value is validated against the schema first; on any
   * invalid value nothing is staged. A value equal to what is set at that level stages nothing.
   */
  set(target: Target | readonly Target[], values: Readonly<Partial<Record<SettingName, unknown>>> | Readonly<Record<string, unknown>>): void {
    this.#check();
    const v = validateSettings(values);
    if (!v.ok) throw v.error;
    if ([...v.value.values()].includes(null)) {
      throw new IisFtpsError('USAGE', 'set() takes values; use reset() to make a setting inherit again');
    }
    // Several targets: the values are validated once.
    this.#stageAll(target, v.value);
  }

  /** Stages the removal of settings at a target or several (all of them when none are named), so they inherit again. */
  reset(target: Target | readonly Target[], names?: readonly string[]): void {
    this.#check();
    const request = Object.fromEntries((names ?? settings.map((s) => s.name)).map((n) => [n, null]));
    const v = validateSettings(request);
    if (!v.ok) throw v.error;
    this.#stageAll(target, v.value);
  }

  /** The staged changes, old -> new, in the order they were staged. */
  get pendingChanges(): PlannedChange[] {
    const out: PlannedChange[] = [];
    for (const [key, staged] of this.#staged) {
      const level = this.#levels.get(key)!;
      for (const [def, value] of staged) {
        const raw = level.raw[def.element]?.[def.attribute];
        const original = raw === undefined ? null : decodeRaw(def, raw);
        out.push({
          target: level.identity,
          setting: def.name,
          element: def.element,
          attribute: def.attribute,
          old: original === null ? null : 'value' in original ? original.value : raw,
          new: value,
          effective: this.#effective(level, def),
        });
      }
    }
    return out;
  }

  /** The change set the backend would receive. */
  get changeSet(): { version: string; changes: Change[] } {
    const changes: Change[] = [];
    for (const [key, staged] of this.#staged) {
      const { identity } = this.#levels.get(key)!;
      for (const [def, value] of staged) {
        const codec = def.def.codec;
        changes.push({
          level: identity.level,
          site: identity.level === 'site' ? { name: identity.name!, id: identity.id } : null,
          element: def.element,
          path: def.path,
          attribute: def.attribute,
          type: codec.type,
          value: value === null ? null : codec.encode(value),
          ...(value !== null && codec.toNumber ? { number: codec.toNumber(value) } : {}),
        });
      }
    }
    return { version: this.#snapshot.version, changes };
  }

  /** Writes every staged change in one atomic commit, or nothing. A session with nothing staged writes nothing. */
  async commitChanges(): Promise<CommitResult> {
    this.#check();
    const changeSet = this.changeSet;
    if (changeSet.changes.length === 0) return { written: false, version: this.#snapshot.version };
    const result = await this.#backend.commit(changeSet);
    this.#closed = true;
    return result;
  }

  /** Drops staged changes; nothing is written. */
  dispose(): void {
    this.#staged.clear();
    this.#closed = true;
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}
