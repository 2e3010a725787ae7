import { type Codec, decoded, describe, refused } from './codec.js';

const ALLOWED = ['40 hexadecimal digits (a SHA-1 thumbprint); spaces and invisible marks are removed'];
/** White space, and the invisible marks the Windows certificate dialog copies along (U+200E and kin). */
const NOISE = /[\s\u200B-\u200F\u202A-\u202E\u2060\uFEFF]/g;

/**
 * A certificate thumbprint. Pasted thumbprints carry spaces between byte pairs and often an
 * invisible left-to-right mark in front: both are stripped, then 40 hex digits must remain.
 * The case of the digits is kept.
 */
export function thumbprintCodec(): Codec<string> {
  return {
    type: 'string',
    accepts: ALLOWED,
    pattern: '^[0-9a-fA-F]{40}$',
    decode(input) {
      if (typeof input !== 'string') return refused(`${describe(input)} is not text`, ALLOWED);
      const hadNoise = /[\u200B-\u200F\u202A-\u202E\u2060\uFEFF]/.test(input);
      const clean = input.replace(NOISE, '');
      const bad = clean.match(/[^0-9a-fA-F]/);
      if (bad) {
        const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
        return refused(`${describe(input)} contains ${JSON.stringify(bad[0])} (U+${code}), which is not a hex digit`, ALLOWED);
      }
      if (clean.length !== 40) {
        const note = hadNoise ? ' after removing spaces and invisible marks' : '';
        return refused(`${describe(input)} has ${clean.length} hex digits${note}; a thumbprint has 40`, ALLOWED);
      }
      return decoded(clean);
    },
    encode: (value) => value,
  };
}
