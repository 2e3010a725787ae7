import { type Codec, decoded, describe, refused } from './codec.js';

/**
 * IIS flags: stored as names joined by ", " in ascending bit order. Read in any case and order,
 * with or without spaces, as a numeric sum, or as an array of names; empty, "None" and 0 mean
 * no flags. Written canonically; no flags is written as the empty string.
 */
export function flagsCodec<const N extends string>(bits: Readonly<Record<N, number>>): Codec<N[]> {
  const names = (Object.keys(bits) as N[]).sort((a, b) => bits[a] - bits[b]);
  const byUpper = new Map(names.map((n) => [n.toUpperCase(), n] as const));
  const all = names.reduce((sum, n) => sum | bits[n], 0);
  const allowed = [...names.map((n) => `${n} (${bits[n]})`), 'None (0)', `a sum of the numbers (0 to ${all})`];
  const fromMask = (mask: number): N[] => names.filter((n) => (mask & bits[n]) !== 0);
  const fromNames = (parts: readonly unknown[]): ReturnType<Codec<N[]>['decode']> => {
    let mask = 0;
    for (const part of parts) {
      if (typeof part === 'number' || (typeof part === 'string' && /^\s*\d+\s*$/.test(part))) {
        const n = Number(part);
        if (!Number.isInteger(n) || n < 0 || (n & ~all) !== 0) return refused(`${describe(part)} is not a sum of this attribute's flags`, allowed);
        mask |= n;
        continue;
      }
      if (typeof part !== 'string') return refused(`${describe(part)} is not a flag name`, allowed);
      const t = part.trim();
      if (t === '' || t.toUpperCase() === 'NONE') continue;
      const name = byUpper.get(t.toUpperCase());
      if (name === undefined) return refused(`${describe(t)} is not a flag of this attribute`, allowed);
      mask |= bits[name];
    }
    return decoded(fromMask(mask));
  };
  return {
    type: 'flags',
    accepts: allowed,
    decode(input) {
      if (typeof input === 'number') return fromNames([input]);
      if (typeof input === 'string') return fromNames(input.split(','));
      if (Array.isArray(input)) return fromNames(input);
      return refused(`${describe(input)} is not a list of flags`, allowed);
    },
    encode: (value) => names.filter((n) => value.includes(n)).join(', '),
    toNumber: (value) => value.reduce((sum, n) => sum | bits[n], 0),
  };
}
