/**
 * Errors are data: one class, a closed set of codes, and (for documents) a source position.
 * docs/errors.md explains every code. Backends carry these codes across process boundaries as
 * `{ code, message }` JSON, so a code is the only thing callers should branch on.
 */

export const ERROR_CODES = [
  /** A command line or API call that is not well-formed (missing target, unknown option). */
  'USAGE',
  /** A setting name that the schema does not know. */
  'UNKNOWN_SETTING',
  /** A value that its setting's type does not allow. */
  'INVALID_VALUE',
  /** A desired-state document that does not match its schema. */
  'INVALID_DESIRED_STATE',
  /** No site with that name or id. */
  'SITE_NOT_FOUND',
  /** The configuration has no `system.applicationHost/sites` section. */
  'SECTION_NOT_FOUND',
  /** The store changed between read and commit; nothing was written. */
  'CONFLICT',
  /** The document is not well-formed XML. */
  'XML_MALFORMED',
  /** The document declares a DTD (`<!DOCTYPE`); refused, never expanded. */
  'XML_DTD',
  /** The file is not UTF-8 (or has an encoding declaration other than UTF-8). */
  'XML_ENCODING',
  /** The file could not be read (missing, a directory, no permission). */
  'FILE_READ',
  /** The file could not be written; the original is intact. */
  'FILE_WRITE',
  /** Another writer holds the lock and did not release it in time. */
  'LOCK_TIMEOUT',
  /** The chosen backend cannot run here (no IIS, no PowerShell, edge-js not built). */
  'BACKEND_UNAVAILABLE',
  /** IIS is there but its FTP Server role service (Web-Ftp-Server) is not: the configuration has no ftpServer schema. */
  'FTP_NOT_INSTALLED',
  /** The live backend failed; the message carries the .NET type and message. */
  'BACKEND_FAILED',
  /** The live backend did not answer in time; its process was ended. */
  'BACKEND_TIMEOUT',
  /** The session was used after commit or dispose. */
  'SESSION_CLOSED',
  /** A fault in iis-ftps itself (an exception that is not an IisFtpsError); nothing was written. */
  'INTERNAL',
  /** rotate-cert: the old certificate is bound nowhere (and the new one is not in place either). */
  'OLD_CERTIFICATE_NOT_FOUND',
  /** The new certificate is not in the machine's certificate store (LocalMachine\STORE). */
  'CERTIFICATE_NOT_FOUND',
  /** The new certificate's store entry has no private key, so TLS cannot use it. */
  'CERTIFICATE_NO_PRIVATE_KEY',
  /** The new certificate's validity period has ended. */
  'CERTIFICATE_EXPIRED',
  /** The new certificate's validity period has not begun. */
  'CERTIFICATE_NOT_YET_VALID',
  /** The new certificate's enhanced key usage does not include Server Authentication. */
  'CERTIFICATE_NOT_FOR_SERVER_AUTH',
  /** A certificate file that is not a certificate (DER or PEM X.509), or that cannot be read. */
  'CERTIFICATE_FILE_INVALID',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Where in a document a problem is. `line` and `column` count from 1. */
export interface SourcePosition {
  readonly file?: string;
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  /** The source line and a caret under the column. */
  readonly excerpt: string;
}

export interface ErrorDetails {
  readonly setting?: string;
  readonly value?: unknown;
  readonly allowed?: readonly string[];
  readonly site?: string;
  readonly position?: SourcePosition;
  /** For BACKEND_FAILED: the .NET exception type. */
  readonly dotnetType?: string;
}

const ERROR_BRAND: unique symbol = Symbol.for('iis-ftps.IisFtpsError');

export class IisFtpsError extends Error {
  override readonly name = 'IisFtpsError';
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.details = details;
  }

  /** Marks every IisFtpsError, of whichever copy of this module (see isIisFtpsError). */
  get [ERROR_BRAND](): true {
    return true;
  }

  /** Plain data for `--json` output and for crossing process boundaries. */
  toJSON(): { code: ErrorCode; message: string } & ErrorDetails {
    return { code: this.code, message: this.message, ...this.details };
  }
}

/**
 * True for an IisFtpsError, also one made by another copy of this module (a second install of
 * the package, or a module loaded both through require and import, as under a test runner's
 * transpiler): such an error fails `instanceof` but carries the same registered symbol.
 */
export function isIisFtpsError(e: unknown): e is IisFtpsError {
  return e instanceof IisFtpsError || (e instanceof Error && (e as unknown as Record<symbol, unknown>)[ERROR_BRAND] === true);
}

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code);
}

/** Usage-type problems exit with 2, everything else with 1. */
export function exitCodeFor(code: ErrorCode): 1 | 2 {
  switch (code) {
    case 'USAGE':
    case 'UNKNOWN_SETTING':
    case 'INVALID_VALUE':
    case 'INVALID_DESIRED_STATE':
      return 2;
    default:
      return 1;
  }
}

/** The result of a boundary check, in the style of `safeParse`. */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: IisFtpsError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(error: IisFtpsError): Result<T> => ({ ok: false, error });
