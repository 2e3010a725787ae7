import { IisFtpsError } from '../errors/errors.js';
import { thumbprintCodec } from '../codecs/thumbprint.js';

const codec = thumbprintCodec();

/**
 * A thumbprint cleaned as everywhere else (spaces and the invisible marks the certificate dialog
 * copies are removed) and written canonically: 40 upper-case hex digits, as Windows shows them
 * and as CertificateInfo carries them. `what` names the input in the error.
 */
export function canonicalThumbprint(input: unknown, what: string): string {
  const r = codec.decode(input);
  if (!r.ok) throw new IisFtpsError('INVALID_VALUE', `${what}: ${r.refusal.reason}. Allowed: ${r.refusal.allowed.join('; ')}`, { setting: what, value: input, allowed: r.refusal.allowed });
  return r.value.toUpperCase();
}

/** Thumbprints compare case-insensitively. */
export const sameThumbprint = (a: unknown, b: unknown): boolean => typeof a === 'string' && typeof b === 'string' && a.toUpperCase() === b.toUpperCase();
