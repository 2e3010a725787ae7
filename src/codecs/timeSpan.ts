import type { RawTimeSpan } from '../contract/index.js';
import { type Codec, type CodecSpec, LEXICAL, decoded, describe, refused, say } from './codec.js';

const TICKS_PER_SECOND = 10_000_000;
const TICKS_PER_DAY = 86_400 * TICKS_PER_SECOND;
const D = LEXICAL.digit;
/** `[d.]hh:mm:ss[.fffffff]`, matched after trimming; hours may be 24 or more. */
const PATTERN = `^(?:(${D}+)\\.)?(${D}+):(${D}{1,2}):(${D}{1,2})(?:\\.(${D}{1,7}))?$`;
/** The highest minute and second. */
const MAX_SIXTY = 59;
/** The most ticks a value may have: the largest integer a JSON number holds exactly. */
const MAX_TICKS = Number.MAX_SAFE_INTEGER;
const NEGATIVE = '-';
const ALLOWED = ['hh:mm:ss', 'd.hh:mm:ss', 'hh:mm:ss.fffffff', 'hours of 24 and more (29:00:00)'];
const MESSAGES = {
  negative: '{input} is negative; a time span here must be 00:00:00 or more',
  notAText: '{input} is not a time span',
  notATimeSpan: '{input} is not a time span (minutes and seconds run 00 to 59)',
  outOfRange: '{input} is negative or out of range',
};
const SPEC: CodecSpec = {
  format: 'timeSpan',
  accepts: ALLOWED,
  pattern: PATTERN,
  maxSixty: MAX_SIXTY,
  maxTicks: MAX_TICKS,
  ticksPerSecond: TICKS_PER_SECOND,
  fractionDigits: 7,
  negative: NEGATIVE,
  messages: MESSAGES,
};
const pattern = new RegExp(PATTERN);

/** Parses `[d.]hh:mm:ss[.fffffff]` (hours may be 24 or more) into 100-ns ticks. */
export function parseTimeSpan(text: string): number | undefined {
  const m = pattern.exec(text.trim());
  if (!m) return undefined;
  const [, d, h, mi, s, f] = m;
  if (Number(mi) > MAX_SIXTY || Number(s) > MAX_SIXTY) return undefined;
  const seconds = Number(d ?? 0) * 86_400 + Number(h) * 3600 + Number(mi) * 60 + Number(s);
  const ticks = seconds * TICKS_PER_SECOND + (f === undefined ? 0 : Number(f.padEnd(7, '0')));
  return Number.isSafeInteger(ticks) ? ticks : undefined;
}

/** .NET's constant ("c") format: `hh:mm:ss` below a day, `d.hh:mm:ss` from a day on, `.fffffff` when not whole seconds. */
export function formatTimeSpan(ticks: number): string {
  const days = Math.floor(ticks / TICKS_PER_DAY);
  let rest = ticks - days * TICKS_PER_DAY;
  const h = Math.floor(rest / (3600 * TICKS_PER_SECOND));
  rest -= h * 3600 * TICKS_PER_SECOND;
  const m = Math.floor(rest / (60 * TICKS_PER_SECOND));
  rest -= m * 60 * TICKS_PER_SECOND;
  const s = Math.floor(rest / TICKS_PER_SECOND);
  const frac = rest - s * TICKS_PER_SECOND;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${days > 0 ? `${days}.` : ''}${two(h)}:${two(m)}:${two(s)}${frac > 0 ? `.${String(frac).padStart(7, '0')}` : ''}`;
}

const isRawTimeSpan = (v: unknown): v is RawTimeSpan =>
  typeof v === 'object' && v !== null && typeof (v as { Ticks?: unknown }).Ticks === 'number';

/** A timeSpan, canonical value is its canonical text (`01:00:00`, `1.00:00:00`). Negative values are refused. */
export function timeSpanCodec(): Codec<string> {
  return {
    type: 'timeSpan',
    spec: SPEC,
    accepts: ALLOWED,
    pattern: PATTERN,
    decode(input) {
      const vars = (): { input: string } => ({ input: describe(input) });
      let ticks: number | undefined;
      if (isRawTimeSpan(input)) ticks = input.Ticks;
      else if (typeof input === 'string') {
        if (input.trim().startsWith(NEGATIVE)) return refused(say(MESSAGES.negative, vars()), ALLOWED);
        ticks = parseTimeSpan(input);
      } else return refused(say(MESSAGES.notAText, vars()), ALLOWED);
      if (ticks === undefined) return refused(say(MESSAGES.notATimeSpan, vars()), ALLOWED);
      if (!Number.isSafeInteger(ticks) || ticks < 0) return refused(say(MESSAGES.outOfRange, vars()), ALLOWED);
      return decoded(formatTimeSpan(ticks));
    },
    encode: (value) => value,
  };
}
