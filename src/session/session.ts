import type { Backend, Change, CommitResult, RawSite, RawSnapshot, RawValue, SiteRef } from '../contract/index.js';
import { IisFtpsError } from '../errors/errors.js';
import { type ElementName, type SettingDef, type SettingName, elementPaths, settings } from '../schema/index.js';
import { type ValidatedSettings, isValidated, validateSettings } from '../schema/validate.js';
import { StagedValues } from './staged.js';
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

/**
 * Which site (or siteDefaults) a report is about. The session hands out one per level, and takes
 * it back wherever it takes a target: the level it names is then found without a lookup.
 */
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

/** What a session call is about: a target as a caller names it, or an identity this session handed out. */
export type SessionTarget = Target | SiteIdentity;

export interface SessionOptions {
  /** Sites to load. */
  readonly targets?: readonly Target[];
  /** Load every site (bulk selection). */
  readonly allSites?: boolean;
}

/**
 * One level of the store: siteDefaults, or a site that a call has touched. Levels are made on
 * first use, so a session over fifty thousand sites keeps objects only for the sites it works on.
 *
 * A level is also the identity the session hands out for it: its public fields are the
 * `SiteIdentity` (all that a report shows and JSON prints), the site as read and the staged
 * values are private to it.
 */
class Level implements SiteIdentity {
  readonly level: 'site' | 'siteDefaults';
  readonly name: string | null;
  readonly id: number | null;
  readonly protocols: readonly string[];
  #session: FtpsSession | null;
  #site: RawSite | null;
  #staged: StagedValues | null = null;

  constructor(session: FtpsSession, site: RawSite | null) {
    this.level = site ? 'site' : 'siteDefaults';
    this.name = site ? site.name : null;
    this.id = site ? site.id : null;
    this.protocols = site ? site.protocols : [];
    this.#session = session;
    this.#site = site;
  }

  /** True when `session` made this level. */
  of(session: FtpsSession): boolean {
    return this.#session === session;
  }
  /** The site as read, or null for siteDefaults (and once the session is disposed). */
  get site(): RawSite | null {
    return this.#site;
  }
  /** The values staged here, or null when none were staged yet. */
  get staged(): StagedValues | null {
    return this.#staged;
  }
  set staged(values: StagedValues | null) {
    this.#staged = values;
  }
  /** Lets go of the session and the site as read, so identities kept in reports keep none of the store alive. */
  release(): void {
    this.#session = null;
    this.#site = null;
    this.#staged = null;
  }
}

/** Distinct stored texts kept decoded per setting; unique values (certificate hashes, say) are decoded each time past it. */
const DECODED_KEPT = 256;

/** The map kept under `key` in `outer`, made when first asked for. */
function mapIn<K, IK, V>(outer: Map<K, Map<IK, V>>, key: K): Map<IK, V> {
  let inner = outer.get(key);
  if (!inner) outer.set(key, (inner = new Map()));
  return inner;
}

/** Decodes a raw value through its codec into the canonical value, or reports why it cannot. */
function decodeRaw(def: SettingDef, raw: RawValue): { value: unknown } | { problem: string } {
  const r = def.def.codec.decode(raw);
  return r.ok ? { value: r.value } : { problem: `stored value is invalid: ${r.refusal.reason}` };
}

const describeIdentity = (t: SiteIdentity): string => (t.level === 'siteDefaults' ? 'siteDefaults' : `site ${JSON.stringify(t.name)}`);

/** Equal canonical values: text and booleans compare as they are, lists (flags) by their JSON. */
const simple = (v: unknown): boolean => typeof v === 'string' || typeof v === 'boolean';
const same = (a: unknown, b: unknown): boolean => (simple(a) && simple(b) ? a === b : JSON.stringify(a) === JSON.stringify(b));

/**
 * A unit of work on one backend, in the manner of ServerManager: load, stage any number of
 * changes over sites and elements, then `commitChanges()` writes all of them or none.
 * `dispose()` without a commit writes nothing.
 */
export class FtpsSession {
  readonly #backend: Backend;
  readonly #snapshot: RawSnapshot;
  readonly #decoded = new Map<SettingDef, Map<string, { value: unknown } | { problem: string }>>();
  readonly #siteDefaults: Level;
  /** Levels made so far, by the site's position in the snapshot (an array the size of the snapshot: no map entry per site). */
  readonly #levels: (Level | undefined)[];
  /** Sites by their name as read, by upper-cased name (only when a name is not found as read), and by id. */
  #byName: Map<string, number> | null = null;
  #byUpperName: Map<string, number> | null = null;
  #byId: Map<number, number> | null = null;
  /** Levels with staged values, in the order first staged. */
  readonly #staged: Level[] = [];
  #closed = false;

  private constructor(backend: Backend, snapshot: RawSnapshot) {
    this.#backend = backend;
    this.#snapshot = snapshot;
    this.#levels = new Array<Level | undefined>(snapshot.sites.length);
    this.#siteDefaults = new Level(this, null);
  }

  /**
   * Decodes a stored value, each distinct text once per setting (up to a bound): a bulk change
   * reads the same few texts from thousands of sites. Lists (flags) are decoded each time, so no
   * two reports share one.
   */
  #decode(def: SettingDef, raw: RawValue): { value: unknown } | { problem: string } {
    if (typeof raw !== 'string') return decodeRaw(def, raw);
    const byText = mapIn(this.#decoded, def);
    let d = byText.get(raw);
    if (d === undefined) {
      d = decodeRaw(def, raw);
      if (byText.size < DECODED_KEPT && !('value' in d && typeof d.value === 'object' && d.value !== null)) byText.set(raw, d);
    }
    return d;
  }

  /** Reads what the targets need from the backend and opens a session on it. */
  static async open(backend: Backend, options: SessionOptions = {}): Promise<FtpsSession> {
    const sites: SiteRef[] = (options.targets ?? []).flatMap((t): SiteRef[] => (isSiteDefaults(t) ? [] : 'site' in t ? [{ name: t.site }] : [{ id: t.siteId }]));
    const snapshot = await backend.read({ elements: elementPaths, sites, allSites: options.allSites ?? false });
    return new FtpsSession(backend, snapshot);
  }

  /** The position of the site a target names in the snapshot, or -1. */
  #find(target: { readonly site: string } | { readonly siteId: number }): number {
    const sites = this.#snapshot.sites;
    if ('siteId' in target) {
      if (!this.#byId) {
        this.#byId = new Map();
        sites.forEach((s, i) => {
          if (s.id !== null && !this.#byId!.has(s.id)) this.#byId!.set(s.id, i);
        });
      }
      return this.#byId.get(target.siteId) ?? -1;
    }
    if (!this.#byName) {
      this.#byName = new Map();
      sites.forEach((s, i) => {
        if (!this.#byName!.has(s.name)) this.#byName!.set(s.name, i);
      });
    }
    const exact = this.#byName.get(target.site);
    if (exact !== undefined) return exact;
    if (!this.#byUpperName) {
      this.#byUpperName = new Map();
      sites.forEach((s, i) => {
        const key = s.name.toUpperCase();
        if (!this.#byUpperName!.has(key)) this.#byUpperName!.set(key, i);
      });
    }
    return this.#byUpperName.get(target.site.toUpperCase()) ?? -1;
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

  #level(target: SessionTarget): Level {
    if (target instanceof Level) {
      if (!target.of(this)) throw new IisFtpsError('USAGE', `${describeIdentity(target)} was handed out by another session; name it by its name or id instead`);
      return target;
    }
    if ('level' in target) {
      // An identity that is plain data (read back from JSON, say): found by what it names.
      if (target.level === 'siteDefaults') return this.#siteDefaults;
      return this.#level(target.name !== null ? { site: target.name } : { siteId: target.id ?? -1 });
    }
    if (isSiteDefaults(target)) return this.#siteDefaults;
    const at = this.#find(target);
    if (at < 0) throw new IisFtpsError('USAGE', `${describeTarget(target)} was not loaded by this session; name it when opening the session`);
    return this.#levelAt(at);
  }

  /** The level of the site at a position of the snapshot, made on first use. */
  #levelAt(at: number): Level {
    let level = this.#levels[at];
    if (!level) {
      level = new Level(this, this.#snapshot.sites[at]!);
      this.#levels[at] = level;
    }
    return level;
  }

  /**
   * The text (or value) a level holds for a setting as read, or undefined when not set there. A
   * site's are looked up anew each time (the store may answer them lazily), one attribute at a
   * time where the site can, so a bulk change builds no element records for the sites it goes
   * through.
   */
  #stored(level: Level, def: SettingDef): RawValue | undefined {
    const site = level.site;
    if (site?.attribute) return site.attribute(def.element, def.attribute);
    const raw = site ? site.elements : this.#snapshot.siteDefaults;
    return raw[def.element]?.[def.attribute];
  }

  /** The canonical value set at a level (staged changes included), or undefined when not set there. */
  #valueAt(level: Level, def: SettingDef): { value: unknown } | { problem: string } | undefined {
    const staged = level.staged;
    const at = staged ? staged.indexOf(def) : -1;
    if (at >= 0) {
      const value = staged!.value(at);
      return value === null ? undefined : { value };
    }
    const value = this.#stored(level, def);
    return value === undefined ? undefined : this.#decode(def, value);
  }

  /** A level's effective value: its own, else siteDefaults', else the schema's default. */
  #effective(level: Level, def: SettingDef): EffectiveValue {
    let source: EffectiveValue['source'] = 'site';
    let found = level.site ? this.#valueAt(level, def) : undefined;
    if (found === undefined) {
      source = 'siteDefaults';
      found = this.#valueAt(this.#siteDefaults, def);
      if (found === undefined) return { value: def.def.default, source: 'default' };
    }
    return 'value' in found ? { value: found.value, source } : { value: null, source, problem: found.problem };
  }

  /** Which site (or siteDefaults) a target names in this session's store: one identity per level, however it is named. */
  identity(target: SessionTarget): SiteIdentity {
    this.#check();
    return this.#level(target);
  }

  /** The identity of the site at position `i` of `sites`, without a lookup by name or id. */
  identityAt(i: number): SiteIdentity {
    this.#check();
    if (!(Number.isInteger(i) && i >= 0 && i < this.#snapshot.sites.length)) {
      throw new IisFtpsError('USAGE', `No site at position ${i}; this session loaded ${this.#snapshot.sites.length}`);
    }
    return this.#levelAt(i);
  }

  /** Effective settings of a target, with staged changes applied. */
  get(target: SessionTarget): SettingsReport {
    this.#check();
    const level = this.#level(target);
    const out = {} as Record<string, Record<string, EffectiveValue>>;
    for (const def of settings) (out[def.element] ??= {})[def.attribute] = this.#effective(level, def);
    return { target: level, settings: out as EffectiveSettings };
  }

  /** Finds every target before staging any, so a target that was not loaded stages nothing. */
  #stageAll(target: SessionTarget | readonly SessionTarget[], values: ValidatedSettings): void {
    const levels = (Array.isArray(target) ? target : [target]).map((t: SessionTarget) => this.#level(t));
    // Taken out of the map once for all the levels: a bulk change stages at thousands.
    const entries = [...values];
    for (const level of levels) this.#stageAt(level, entries);
  }

  #stageAt(level: Level, values: readonly (readonly [SettingDef, unknown])[]): void {
    // An index loop: no iterator nor destructuring per site of a bulk change.
    for (let i = 0; i < values.length; i++) {
      const def = values[i]![0];
      const value = values[i]![1];
      const stored = this.#stored(level, def);
      const original = stored === undefined ? undefined : this.#decode(def, stored);
      // Back to what the store holds: nothing to write for this attribute.
      const unchanged = value === null ? original === undefined : original !== undefined && 'value' in original && same(original.value, value);
      const staged = level.staged;
      if (unchanged) staged?.delete(def);
      else if (staged) staged.set(def, value);
      else {
        level.staged = new StagedValues(def, value);
        this.#staged.push(level);
      }
    }
  }

  /**
   * Stages values for a target, or for each of several targets. Each value is validated against the schema first; on any
   * invalid value nothing is staged. A value equal to what is set at that level stages nothing.
   */
  set(target: SessionTarget | readonly SessionTarget[], values: Readonly<Partial<Record<SettingName, unknown>>> | Readonly<Record<string, unknown>>): void {
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
  reset(target: SessionTarget | readonly SessionTarget[], names?: readonly string[]): void {
    this.#check();
    const request = Object.fromEntries((names ?? settings.map((s) => s.name)).map((n) => [n, null]));
    const v = validateSettings(request);
    if (!v.ok) throw v.error;
    this.#stageAll(target, v.value);
  }

  /**
   * Stages what `validateSettings` (or `validateChanges`, `validateResets`) returned, at a target
   * or each of several, without checking it again: values are set, nulls reset. A value equal
   * to what is set at that level stages nothing.
   */
  stage(target: SessionTarget | readonly SessionTarget[], values: ValidatedSettings): void {
    this.#check();
    if (!isValidated(values)) throw new IisFtpsError('USAGE', 'stage() takes what validateSettings() returned; pass plain values to set(), or names to reset()');
    this.#stageAll(target, values);
  }

  /** The staged changes, old -> new, in the order they were staged. */
  get pendingChanges(): PlannedChange[] {
    const out: PlannedChange[] = [];
    // A bulk change gives thousands of sites the same effective value: one object each is shared.
    const shared = new Map<SettingDef, Map<EffectiveValue['source'], Map<unknown, EffectiveValue>>>();
    const share = (def: SettingDef, e: EffectiveValue): EffectiveValue => {
      if (e.problem !== undefined || (typeof e.value !== 'string' && typeof e.value !== 'boolean')) return e;
      // Keyed by the value itself: "true" and true are different keys.
      const byValue = mapIn(mapIn(shared, def), e.source);
      const known = byValue.get(e.value);
      if (known) return known;
      byValue.set(e.value, e);
      return e;
    };
    for (const level of this.#staged) {
      const staged = level.staged!;
      for (let i = 0; i < staged.size; i++) {
        const def = staged.setting(i);
        const stored = this.#stored(level, def);
        const original = stored === undefined ? null : this.#decode(def, stored);
        out.push({
          target: level,
          setting: def.name,
          element: def.element,
          attribute: def.attribute,
          old: original === null ? null : 'value' in original ? original.value : stored,
          new: staged.value(i),
          effective: share(def, this.#effective(level, def)),
        });
      }
    }
    return out;
  }

  /** The change set the backend would receive. */
  get changeSet(): { version: string; changes: Change[] } {
    const changes: Change[] = [];
    for (const level of this.#staged) {
      const staged = level.staged!;
      // One site reference for all the changes of a site.
      const site = level.level === 'site' ? { name: level.name!, id: level.id } : null;
      for (let i = 0; i < staged.size; i++) {
        const def = staged.setting(i);
        const value = staged.value(i);
        const codec = def.def.codec;
        const { element, path, attribute } = def;
        // Two literal shapes, with and without `number`: tens of thousands of changes, no temporary objects.
        changes.push(
          value !== null && codec.toNumber
            ? { level: level.level, site, element, path, attribute, type: codec.type, value: codec.encode(value), number: codec.toNumber(value) }
            : { level: level.level, site, element, path, attribute, type: codec.type, value: value === null ? null : codec.encode(value) },
        );
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
    for (const level of this.#staged) level.staged = null;
    this.#staged.length = 0;
    // Identities live on in reports: they keep nothing of the store.
    for (const level of this.#levels) level?.release();
    this.#siteDefaults.release();
    this.#closed = true;
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}
