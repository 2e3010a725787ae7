import type { ValueType } from '../contract/index.js';

/** Why a value was refused: the reason, and what would have been allowed. */
export interface Refusal {
  readonly reason: string;
  readonly allowed: readonly string[];
}

export type Decoded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly refusal: Refusal };

export const decoded = <T>(value: T): Decoded<T> => ({ ok: true, value });
export const refused = <T = never>(reason: string, allowed: readonly string[]): Decoded<T> => ({
  ok: false,
  refusal: { reason, allowed },
});

/**
 * A value codec: lenient on the way in (stored text, user input, typed values from .NET),
 * canonical on the way out. `decode` is used for both what the store holds and what a user
 * types, so the two can never disagree.
 */
export interface Codec<T> {
  readonly type: ValueType;
  decode(input: unknown): Decoded<T>;
  /** The canonical text IIS writes for the value. */
  encode(value: T): string;
  /** For enum and flags: the number stored by ServerManager. */
  toNumber?(value: T): number;
  /** A short description of what is accepted, for help and errors. */
  readonly accepts: readonly string[];
  /** For text values: a regular expression (source) that every canonical value matches, for JSON Schema. */
  readonly pattern?: string;
}

export function describe(input: unknown): string {
  if (typeof input === 'string') return JSON.stringify(input);
  if (input === undefined) return 'nothing';
  try {
    return JSON.stringify(input) ?? String(input);
  } catch {
    return String(input);
  }
}
