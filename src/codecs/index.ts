export { type Codec, type CodecSpec, type Decoded, type Format, type Refusal, LEXICAL, NUMBER_TEXT, asciiLower, asciiUpper, decoded, refused, say } from './codec.js';
export { enumCodec } from './enum.js';
export { flagsCodec } from './flags.js';
export { timeSpanCodec, parseTimeSpan, formatTimeSpan } from './timeSpan.js';
export { boolCodec } from './bool.js';
export { stringCodec } from './string.js';
export { thumbprintCodec } from './thumbprint.js';
