import { type Codec, type CodecSpec, NUMBER_TEXT, asciiUpper, decoded, describe, refused, say } from './codec.js';

const MESSAGES = {
  notANumber: '{input} is not one of the numbers of this enum',
  notAName: '{input} is not a value of this enum',
  wrongType: '{input} is not an enum name or number',
};

/**
 * An IIS enum: stored by name, names case-insensitive, the number accepted too
 * (as a JSON number, or a string of digits), always written as the canonical name.
 */
export function enumCodec<const N extends string>(values: Readonly<Record<N, number>>): Codec<N> {
  const names = Object.keys(values) as N[];
  const byUpper = new Map(names.map((n) => [asciiUpper(n), n] as const));
  const byNumber = new Map(names.map((n) => [values[n], n] as const));
  const allowed = names.map((n) => `${n} (${values[n]})`);
  const numberText = new RegExp(NUMBER_TEXT);
  const spec: CodecSpec = { format: 'enum', accepts: allowed, values, numberText: NUMBER_TEXT, messages: MESSAGES };
  return {
    type: 'enum',
    spec,
    accepts: allowed,
    decode(input) {
      // A canonical name, as IIS writes them, is found as it is.
      if (typeof input === 'string' && Object.hasOwn(values, input)) return decoded(input as N);
      // The input is described only for a refusal: a bulk read decodes tens of thousands of stored values.
      const vars = (): { input: string } => ({ input: describe(input) });
      if (typeof input === 'number' || (typeof input === 'string' && numberText.test(input))) {
        const name = byNumber.get(Number(input));
        return name === undefined ? refused(say(MESSAGES.notANumber, vars()), allowed) : decoded(name);
      }
      if (typeof input === 'string') {
        const name = byUpper.get(asciiUpper(input.trim()));
        return name === undefined ? refused(say(MESSAGES.notAName, vars()), allowed) : decoded(name);
      }
      return refused(say(MESSAGES.wrongType, vars()), allowed);
    },
    encode: (value) => value,
    toNumber: (value) => values[value],
  };
}
