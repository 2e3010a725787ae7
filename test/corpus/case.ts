import type { ErrorCode } from '../../src/errors/errors.js';

/** What a corpus case gets to build its files with: a fresh folder, and one "elsewhere". */
export interface CaseContext {
  /** The case's own folder. */
  readonly dir: string;
  /** Another folder, for links and configSource files that lead out of `dir`. */
  readonly elsewhere: string;
  /** A copy of the realistic fixture in `dir` (or in `elsewhere`). */
  fixture(name?: string, where?: 'dir' | 'elsewhere'): string;
  /** Writes a file in `dir` (or `elsewhere`) and returns its path. */
  write(name: string, content: string | Uint8Array, where?: 'dir' | 'elsewhere'): string;
}

/**
 * One hostile or broken input, run through the CLI in-process. A refused case must exit with
 * `exit`, print the error `code` and a message matching `message` on stderr, and leave every
 * file of both folders byte-identical (nothing written, no lock, temporary file or backup left).
 * An accepted case (exit 0) checks what must hold afterwards in `after`.
 */
export interface HostileCase {
  readonly group: string;
  readonly name: string;
  setup(c: CaseContext): { readonly argv: readonly string[] };
  readonly exit: 0 | 1 | 2;
  readonly code?: ErrorCode;
  /** Matched against stderr (stdout for exit 0); a string must occur as it is. */
  readonly message: RegExp | string;
  /** Run as an unprivileged user (permissions do not stop root). */
  readonly unprivileged?: boolean;
  after?(c: CaseContext, out: { readonly stdout: string; readonly stderr: string }): void | Promise<void>;
}

/** Escapes text for a double-quoted XML attribute, as IIS writes it. */
export const xmlAttr = (s: string): string =>
  s.replace(/[&<>"\t\n\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#x9;', '\n': '&#xA;', '\r': '&#xD;' })[c]!);

/** A small applicationHost.config holding one FTP site, in the shape IIS writes. */
export function oneSite(nameAttr: string, extra = ''): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<configuration>',
    '    <system.applicationHost>',
    '        <sites>',
    `            <site name="${nameAttr}" id="5">`,
    '                <bindings>',
    '                    <binding protocol="ftp" bindingInformation="*:21:" />',
    '                </bindings>',
    '                <ftpServer>',
    '                    <security>',
    '                        <ssl serverCertStoreName="MY" />',
    '                    </security>',
    '                </ftpServer>',
    '            </site>',
    extra,
    '        </sites>',
    '    </system.applicationHost>',
    '</configuration>',
    '',
  ].join('\r\n');
}
