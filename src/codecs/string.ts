import { type Codec, decoded, describe, refused } from './codec.js';

const ALLOWED = ['any non-empty text'];

/** Plain text, kept as given. Empty text is refused: reset the attribute instead. */
export function stringCodec(): Codec<string> {
  return {
    type: 'string',
    accepts: ALLOWED,
    decode(input) {
      if (typeof input !== 'string') return refused(`${describe(input)} is not text`, ALLOWED);
      if (input.length === 0) return refused('the value is empty (to remove a setting, reset it)', ALLOWED);
      return decoded(input);
    },
    encode: (value) => value,
  };
}
