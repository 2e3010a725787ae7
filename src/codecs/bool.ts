import { type Codec, decoded, describe, refused } from './codec.js';

const ALLOWED = ['true', 'false'];

/** A bool: `true`/`false` in any case on read, written lower-case. */
export function boolCodec(): Codec<boolean> {
  return {
    type: 'bool',
    accepts: ALLOWED,
    decode(input) {
      if (typeof input === 'boolean') return decoded(input);
      if (typeof input === 'string') {
        const t = input.trim().toLowerCase();
        if (t === 'true') return decoded(true);
        if (t === 'false') return decoded(false);
      }
      return refused(`${describe(input)} is not a boolean`, ALLOWED);
    },
    encode: (value) => (value ? 'true' : 'false'),
  };
}
