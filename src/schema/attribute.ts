import type { ValueType } from '../contract/index.js';
import {
  type Codec,
  type Decoded,
  type Format,
  boolCodec,
  enumCodec,
  flagsCodec,
  stringCodec,
  thumbprintCodec,
  timeSpanCodec,
} from '../codecs/index.js';

/**
 * How an attribute's value is written, for help, docs and the PowerShell side: its codec's
 * format, the XML-level type or a narrower one (`thumbprint`: a string of 40 hex digits).
 */
export type { Format };

/**
 * One attribute of the schema: its codec, its default, its documentation, and the parse that
 * turns any accepted input into the canonical value. The zod schema of the same parse
 * (`settingInput`, `settingValuesSchema` in ./zod.ts) is built on demand, so that loading the
 * schema does not load zod: a command that only reads, or prints help, never needs it.
 */
export interface AttributeDef<T> {
  readonly type: ValueType;
  /** What the value looks like (the codec's format); readers branch on this, never on an attribute's name. */
  readonly format: Format;
  readonly codec: Codec<T>;
  /** The schema default, or null where IIS has none. */
  readonly default: T | null;
  readonly description: string;
  /** Enum names or flag names, for help, completion and the PowerShell side. */
  readonly names?: readonly string[];
  /** Values allowed on other attributes of the same kind but not here, with why. */
  readonly notHere?: Readonly<Record<string, string>>;
  /** Any accepted input -> the canonical value, or why it was refused (what validation and the zod schema run). */
  readonly parse: (input: unknown) => Decoded<T>;
}

function define<T>(
  codec: Codec<T>,
  def: T | null,
  description: string,
  extra: { names?: readonly string[]; notHere?: Readonly<Record<string, string>> } = {},
): AttributeDef<T> {
  const parse = (value: unknown): Decoded<T> => codec.decode(value);
  return { type: codec.type, format: codec.spec.format, codec, default: def, description, ...extra, parse };
}

export const attr = {
  enum: <const N extends string>(
    values: Readonly<Record<N, number>>,
    def: NoInfer<N>,
    description: string,
    notHere?: Readonly<Record<string, string>>,
  ): AttributeDef<N> =>
    define(enumCodec(values), def, description, notHere ? { names: Object.keys(values), notHere } : { names: Object.keys(values) }),
  flags: <const N extends string>(bits: Readonly<Record<N, number>>, description: string): AttributeDef<N[]> =>
    define(flagsCodec(bits), [], description, { names: Object.keys(bits) }),
  timeSpan: (def: string, description: string): AttributeDef<string> => define(timeSpanCodec(), def, description),
  bool: (def: boolean, description: string): AttributeDef<boolean> => define(boolCodec(), def, description),
  string: (def: string | null, description: string): AttributeDef<string> => define(stringCodec(), def, description),
  thumbprint: (description: string): AttributeDef<string> => define(thumbprintCodec(), null, description),
};

export interface ElementDef<A extends Record<string, AttributeDef<unknown>>> {
  /** XML element names below `<site>` / `<siteDefaults>`. */
  readonly path: readonly string[];
  readonly description: string;
  readonly attributes: A;
  /**
   * Setting names for attributes whose own name would be ambiguous across elements
   * (`clientCertAuthentication`'s `enabled` is the setting `clientCertAuthentication`).
   */
  readonly settingNames?: Partial<Record<keyof A & string, string>>;
}

export const element = <A extends Record<string, AttributeDef<unknown>>, const S extends Partial<Record<keyof A & string, string>> = {}>(
  def: ElementDef<A> & { readonly settingNames?: S },
): ElementDef<A> & { readonly settingNames: S } => ({ settingNames: {} as S, ...def });
