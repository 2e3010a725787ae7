import { type Codec, decoded, describe, refused } from './codec.js';

/**
 * An IIS enum: stored by name, names case-insensitive, the number accepted too
 * (as a JSON number, or a string of digits), always written as the canonical name.
 */
export function enumCodec<const N extends string>(values: Readonly<Record<N, number>>): Codec<N> {
  const names = Object.keys(values) as N[];
  const byUpper = new Map(names.map((n) => [n.toUpperCase(), n] as const));
  const byNumber = new Map(names.map((n) => [values[n], n] as const));
  const allowed = names.map((n) => `${n} (${values[n]})`);
  return {
    type: 'enum',
    accepts: allowed,
    decode(input) {
      if (typeof input === 'number' || (typeof input === 'string' && /^\s*\d+\s*$/.test(input))) {
        const name = byNumber.get(Number(input));
        return name === undefined ? refused(`${describe(input)} is not one of the numbers of this enum`, allowed) : decoded(name);
      }
      if (typeof input === 'string') {
        const name = byUpper.get(input.trim().toUpperCase());
        return name === undefined ? refused(`${describe(input)} is not a value of this enum`, allowed) : decoded(name);
      }
      return refused(`${describe(input)} is not an enum name or number`, allowed);
    },
    encode: (value) => value,
    toNumber: (value) => values[value],
  };
}
