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

/** How a value is checked and written: one per codec, named in the schema as an attribute's `format`. */
export type Format = 'enum' | 'flags' | 'timeSpan' | 'bool' | 'string' | 'thumbprint';

/**
 * A codec's rules as data: its limits, the texts it takes, its patterns and its messages. The
 * TypeScript codec decodes by these, and `npm run build:schema` writes them into the PowerShell
 * module's schema.json, whose one generic routine decodes by the same data, so the two cannot
 * drift. Patterns are regular-expression source that reads the same in JavaScript (without the
 * `u` flag) and .NET: character classes spelled out, never `\s` or `\d`, whose meaning differs.
 * Messages are templates: `{name}` is replaced by the value of `name`.
 */
export interface CodecSpec {
  readonly format: Format;
  /** What is accepted, for help and errors. */
  readonly accepts: readonly string[];
  /** Message templates by name. */
  readonly messages: Readonly<Record<string, string>>;
  /** Format-specific data: enum values, flag bits, patterns, limits. */
  readonly [key: string]: unknown;
}

/**
 * A value codec: lenient on the way in (stored text, user input, typed values from .NET),
 * canonical on the way out. `decode` is used for both what the store holds and what a user
 * types, so the two can never disagree.
 */
export interface Codec<T> {
  readonly type: ValueType;
  /** The codec's rules as data (see CodecSpec). */
  readonly spec: CodecSpec;
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

/** Character classes that mean the same in JavaScript and .NET regular expressions. */
export const LEXICAL = {
  /** JavaScript's `\s`, which is also what `String.prototype.trim()` removes (.NET's `\s` and `Trim()` differ). */
  whitespace: '[\\t\\n\\u000B\\f\\r \\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF]',
  /** A decimal digit, ASCII only (.NET's `\d` takes every script's digits). */
  digit: '[0-9]',
} as const;

/** Text that is a whole number: digits, white space around them. */
export const NUMBER_TEXT = `^${LEXICAL.whitespace}*${LEXICAL.digit}+${LEXICAL.whitespace}*$`;

/**
 * Case folding for names (enum and flag names, `true`/`false`): ASCII letters only. The names are
 * ASCII; folding other letters too would let `ß` stand for `SS` or a dotless `ı` for `I`, and
 * runtimes do not agree on those mappings.
 */
export const asciiUpper = (s: string): string => s.replace(/[a-z]+/g, (m) => m.toUpperCase());
export const asciiLower = (s: string): string => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

/** Fills a message template: `{name}` becomes `vars[name]`. */
export function say(template: string, vars: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
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
