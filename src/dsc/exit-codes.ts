import type { ErrorCode } from '../errors/errors.js';

/**
 * The exit codes of `iis-ftps dsc ...`, as the manifest's `exitCodes` declares them to DSC (which
 * shows the description when a resource exits with that code). One table: the manifest is made
 * from it, and every error code maps to one of its entries.
 */
export const DSC_EXIT_CODES = {
  0: 'Success.',
  1: 'Failed: the live IIS backend failed or did not answer, or an internal error; nothing was written. The error line on stderr says why.',
  2: 'Invalid instance: not JSON, no target or two, an unknown property, or a value its setting does not allow; nothing was read or written.',
  3: 'Not found: no site with that name or id, or no system.applicationHost/sites section in the configuration; nothing was written.',
  4: 'Busy: the configuration changed while it was being changed, again on every retry, or another writer held its lock too long; nothing was written. Run again.',
  5: 'The configuration file could not be read or written (missing, not UTF-8, not well-formed XML, a DTD, no permission, disk full); the original is intact.',
  6: 'IIS cannot be reached here (no IIS with its management tools, no FTP Server role service, or no PowerShell); name a configPath to work on a file instead.',
} as const satisfies Record<number, string>;

export type DscExitCode = keyof typeof DSC_EXIT_CODES;

const BY_ERROR: Record<ErrorCode, DscExitCode> = {
  USAGE: 2,
  UNKNOWN_SETTING: 2,
  INVALID_VALUE: 2,
  INVALID_DESIRED_STATE: 2,
  SITE_NOT_FOUND: 3,
  SECTION_NOT_FOUND: 3,
  CONFLICT: 4,
  LOCK_TIMEOUT: 4,
  XML_MALFORMED: 5,
  XML_DTD: 5,
  XML_ENCODING: 5,
  FILE_READ: 5,
  FILE_WRITE: 5,
  BACKEND_UNAVAILABLE: 6,
  FTP_NOT_INSTALLED: 6,
  BACKEND_FAILED: 1,
  BACKEND_TIMEOUT: 1,
  SESSION_CLOSED: 1,
  INTERNAL: 1,
  // rotate-cert's refusals: a DSC instance names no certificate to check, so none of them is
  // expected from `iis-ftps dsc`; should one come, it is a failure like any other.
  OLD_CERTIFICATE_NOT_FOUND: 1,
  CERTIFICATE_NOT_FOUND: 1,
  CERTIFICATE_NO_PRIVATE_KEY: 1,
  CERTIFICATE_EXPIRED: 1,
  CERTIFICATE_NOT_YET_VALID: 1,
  CERTIFICATE_NOT_FOR_SERVER_AUTH: 1,
  CERTIFICATE_FILE_INVALID: 1,
};

/** The exit code of an error, by its code (1 for anything that is not an iis-ftps error). */
export function dscExitCode(code: ErrorCode | undefined): DscExitCode {
  return code === undefined ? 1 : BY_ERROR[code];
}
