import { type Codec, type CodecSpec, NUMBER_TEXT, asciiUpper, decoded, describe, refused, say } from './codec.js';

const MESSAGES = {
  notASum: "{input} is not a sum of this attribute's flags",
  notAName: '{input} is not a flag name',
  notAFlag: '{input} is not a flag of this attribute',
  notAList: '{input} is not a list of flags',
};
/** The name that means no flags (any case), the text names are split at, and joined by when written. */
const NONE = 'None';
const SPLIT = ',';
const JOIN = ', ';

/**
 * IIS flags: stored as names joined by ", " in ascending bit order. Read in any case and order,
 * with or without spaces, as a numeric sum, or as an array of names; empty, "None" and 0 mean
 * no flags. Written canonically; no flags is written as the empty string.
 */
export function flagsCodec<const N extends string>(bits: Readonly<Record<N, number>>): Codec<N[]> {
  const names = (Object.keys(bits) as N[]).sort((a, b) => bits[a] - bits[b]);
  const byUpper = new Map(names.map((n) => [asciiUpper(n), n] as const));
  const all = names.reduce((sum, n) => sum | bits[n], 0);
  const allowed = [...names.map((n) => `${n} (${bits[n]})`), `${NONE} (0)`, `a sum of the numbers (0 to ${all})`];
  const numberText = new RegExp(NUMBER_TEXT);
  const spec: CodecSpec = { format: 'flags', accepts: allowed, bits, none: NONE, split: SPLIT, join: JOIN, numberText: NUMBER_TEXT, messages: MESSAGES };
  const fromMask = (mask: number): N[] => names.filter((n) => (mask & bits[n]) !== 0);
  const fromNames = (parts: readonly unknown[]): ReturnType<Codec<N[]>['decode']> => {
    let mask = 0;
    for (const part of parts) {
      if (typeof part === 'number' || (typeof part === 'string' && numberText.test(part))) {
        const n = Number(part);
        // n > all first: the bitwise test works on 32 bits and would let 2^32 + 1 through as 1.
        if (!Number.isInteger(n) || n < 0 || n > all || (n & ~all) !== 0) return refused(say(MESSAGES.notASum, { input: describe(part) }), allowed);
        mask |= n;
        continue;
      }
      if (typeof part !== 'string') return refused(say(MESSAGES.notAName, { input: describe(part) }), allowed);
      const t = part.trim();
      if (t === '' || asciiUpper(t) === asciiUpper(NONE)) continue;
      const name = byUpper.get(asciiUpper(t));
      if (name === undefined) return refused(say(MESSAGES.notAFlag, { input: describe(t) }), allowed);
      mask |= bits[name];
    }
    return decoded(fromMask(mask));
  };
  return {
    type: 'flags',
    spec,
    accepts: allowed,
    decode(input) {
      if (typeof input === 'number') return fromNames([input]);
      if (typeof input === 'string') return fromNames(input.split(SPLIT));
      if (Array.isArray(input)) return fromNames(input);
      return refused(say(MESSAGES.notAList, { input: describe(input) }), allowed);
    },
    encode: (value) => names.filter((n) => value.includes(n)).join(JOIN),
    toNumber: (value) => value.reduce((sum, n) => sum | bits[n], 0),
  };
}
