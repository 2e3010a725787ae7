import { type Codec, type CodecSpec, decoded, describe, refused, say } from './codec.js';

const ALLOWED = ['any non-empty text'];
const MESSAGES = {
  notText: '{input} is not text',
  empty: 'the value is empty (to remove a setting, reset it)',
  forbidden: '{input} contains the character U+{code}, which an XML file cannot hold',
};
/**
 * What XML 1.0 cannot hold at all, not even as &#...; references (the file would no longer
 * load): C0 controls but tab, LF and CR; U+FFFE, U+FFFF; surrogates that are not in a pair.
 */
const FORBIDDEN = '[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\uFFFE\\uFFFF]|[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]';
const SPEC: CodecSpec = { format: 'string', accepts: ALLOWED, forbidden: FORBIDDEN, messages: MESSAGES };
const forbidden = new RegExp(FORBIDDEN);

/** Plain text, kept as given. Empty text is refused: reset the attribute instead. */
export function stringCodec(): Codec<string> {
  return {
    type: 'string',
    spec: SPEC,
    accepts: ALLOWED,
    decode(input) {
      if (typeof input !== 'string') return refused(say(MESSAGES.notText, { input: describe(input) }), ALLOWED);
      if (input.length === 0) return refused(MESSAGES.empty, ALLOWED);
      const bad = forbidden.exec(input);
      if (bad) {
        const code = bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
        return refused(say(MESSAGES.forbidden, { input: describe(input), code }), ALLOWED);
      }
      return decoded(input);
    },
    encode: (value) => value,
  };
}
