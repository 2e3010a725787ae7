import { type Codec, type CodecSpec, asciiLower, decoded, describe, refused, say } from './codec.js';

const ALLOWED = ['true', 'false'];
const MESSAGES = { notABool: '{input} is not a boolean' };
const TEXTS = { true: 'true', false: 'false' };
const SPEC: CodecSpec = { format: 'bool', accepts: ALLOWED, texts: TEXTS, messages: MESSAGES };

/** A bool: `true`/`false` in any case on read, written lower-case. */
export function boolCodec(): Codec<boolean> {
  return {
    type: 'bool',
    spec: SPEC,
    accepts: ALLOWED,
    decode(input) {
      if (typeof input === 'boolean') return decoded(input);
      if (typeof input === 'string') {
        const t = asciiLower(input.trim());
        if (t === TEXTS.true) return decoded(true);
        if (t === TEXTS.false) return decoded(false);
      }
      return refused(say(MESSAGES.notABool, { input: describe(input) }), ALLOWED);
    },
    encode: (value) => (value ? TEXTS.true : TEXTS.false),
  };
}
