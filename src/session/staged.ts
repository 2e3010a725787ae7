import type { SettingDef } from '../schema/index.js';

/**
 * The values staged at one level: setting -> canonical value, or null to remove the attribute
 * so it inherits again, in the order first staged.
 *
 * Kept as one flat array of the exact size, `[setting, value, setting, value, ...]`: a bulk
 * change stages at every site it selects, and a map, or an array with spare room (as one grown
 * by `push`), at each of tens of thousands of sites costs several times as much.
 */
export class StagedValues {
  #pairs: unknown[];

  constructor(def: SettingDef, value: unknown) {
    this.#pairs = [def, value];
  }

  /** How many settings are staged. */
  get size(): number {
    return this.#pairs.length >> 1;
  }

  /** The setting at position `i` (0 to size - 1). */
  setting(i: number): SettingDef {
    return this.#pairs[2 * i] as SettingDef;
  }

  /** The value staged at position `i`: the canonical value, or null to remove. */
  value(i: number): unknown {
    return this.#pairs[2 * i + 1];
  }

  /** The position of a setting, or -1 when it is not staged. */
  indexOf(def: SettingDef): number {
    const pairs = this.#pairs;
    for (let i = 0; i < pairs.length; i += 2) if (pairs[i] === def) return i >> 1;
    return -1;
  }

  /** Stages a value for a setting, replacing one staged before (which keeps its position). */
  set(def: SettingDef, value: unknown): void {
    const at = this.indexOf(def);
    if (at >= 0) {
      this.#pairs[2 * at + 1] = value;
      return;
    }
    // A new array of the exact size: a pushed-to (or spread) array keeps spare room, times every
    // site of a bulk change. Copied by hand: `concat` of a pair made for it costs several times as much.
    const pairs = this.#pairs;
    const next = new Array<unknown>(pairs.length + 2);
    for (let i = 0; i < pairs.length; i++) next[i] = pairs[i];
    next[pairs.length] = def;
    next[pairs.length + 1] = value;
    this.#pairs = next;
  }

  /** Unstages a setting (nothing happens when it is not staged). */
  delete(def: SettingDef): void {
    const at = this.indexOf(def);
    if (at >= 0) this.#pairs.splice(2 * at, 2);
  }
}
