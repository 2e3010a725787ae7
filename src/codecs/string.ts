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
      // XML 1.0 cannot hold these at all, not even as &#...; references: the file would no longer load.
      const bad = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u.exec(input);
      if (bad) {
        const code = bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
        return refused(`${describe(input)} contains the character U+${code}, which an XML file cannot hold`, ALLOWED);
      }
      return decoded(input);
    },
    encode: (value) => value,
  };
}
