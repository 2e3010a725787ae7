import { type Codec, type CodecSpec, LEXICAL, decoded, describe, refused, say } from './codec.js';

const ALLOWED = ['40 hexadecimal digits (a SHA-1 thumbprint); spaces and invisible marks are removed'];
const MESSAGES = {
  notText: '{input} is not text',
  notADigit: '{input} contains {char} (U+{code}), which is not a hex digit',
  length: '{input} has {count} hex digits{note}; a thumbprint has {digits}',
  noiseNote: ' after removing spaces and invisible marks',
};
/** The invisible marks the Windows certificate dialog copies along (U+200E and kin). */
const INVISIBLE = '[\\u200B-\\u200F\\u202A-\\u202E\\u2060\\uFEFF]';
/** What is removed: white space and the invisible marks. */
const NOISE = `${LEXICAL.whitespace}|${INVISIBLE}`;
const NOT_A_DIGIT = '[^0-9a-fA-F]';
const DIGITS = 40;
const SPEC: CodecSpec = { format: 'thumbprint', accepts: ALLOWED, invisible: INVISIBLE, noise: NOISE, notADigit: NOT_A_DIGIT, digits: DIGITS, messages: MESSAGES };
const invisible = new RegExp(INVISIBLE);
const noise = new RegExp(NOISE, 'g');
const notADigit = new RegExp(NOT_A_DIGIT);

/**
 * A certificate thumbprint. Pasted thumbprints carry spaces between byte pairs and often an
 * invisible left-to-right mark in front: both are stripped, then 40 hex digits must remain.
 * The case of the digits is kept.
 */
export function thumbprintCodec(): Codec<string> {
  return {
    type: 'string',
    spec: SPEC,
    accepts: ALLOWED,
    pattern: '^[0-9a-fA-F]{40}$',
    decode(input) {
      if (typeof input !== 'string') return refused(say(MESSAGES.notText, { input: describe(input) }), ALLOWED);
      const hadNoise = invisible.test(input);
      const clean = input.replace(noise, '');
      const bad = notADigit.exec(clean);
      if (bad) {
        const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
        return refused(say(MESSAGES.notADigit, { input: describe(input), char: JSON.stringify(bad[0]), code }), ALLOWED);
      }
      if (clean.length !== DIGITS) {
        const note = hadNoise ? MESSAGES.noiseNote : '';
        return refused(say(MESSAGES.length, { input: describe(input), count: clean.length, note, digits: DIGITS }), ALLOWED);
      }
      return decoded(clean);
    },
    encode: (value) => value,
  };
}
