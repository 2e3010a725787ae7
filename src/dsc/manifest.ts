import { createRequire } from 'node:module';
import { DSC_EXIT_CODES } from './exit-codes.js';
import { instanceJsonSchema } from './schema.js';

/** The resource type DSC knows this resource by. */
export const DSC_RESOURCE_TYPE = 'IisFtps/Setting';
/** The file DSC discovers on PATH (or DSC_RESOURCE_PATH): any file named `*.dsc.resource.json`. */
export const DSC_MANIFEST_FILE = 'iis-ftps.dsc.resource.json';

const VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

/**
 * The Microsoft DSC v3 command-resource manifest of `IisFtps/Setting`, after the published
 * manifest schema (https://aka.ms/dsc/schemas/v3/bundled/resource/manifest.json, described in
 * Microsoft's "DSC command resource manifest schema reference"):
 *
 * - each operation runs `iis-ftps dsc OPERATION` and gets the instance as JSON on stdin
 *   (`input: stdin`);
 * - `set` tests first itself and changes nothing that is already so (`implementsPretest`), and
 *   takes `--what-if` when DSC runs it in what-if mode (the `whatIfArg` argument);
 * - `set` and `test` print the state and then the names of the properties that differ
 *   (`return: stateAndDiff`), and test's state carries `_inDesiredState`;
 * - `export` prints one instance per FTP site (and one for siteDefaults), one JSON line each;
 * - the live IIS configuration is readable and writable by administrators only, so every
 *   operation asks for an elevated security context;
 * - `exitCodes` and the embedded instance schema are generated (exit-codes.ts, schema.ts).
 */
export function dscManifest(): Record<string, unknown> {
  const command = (operation: string, extra: Record<string, unknown> = {}, args: unknown[] = []) => ({
    executable: 'iis-ftps',
    args: ['dsc', operation, ...args],
    input: 'stdin',
    ...extra,
    requireSecurityContext: 'elevated',
  });
  return {
    $schema: 'https://aka.ms/dsc/schemas/v3/bundled/resource/manifest.json',
    type: DSC_RESOURCE_TYPE,
    version: VERSION,
    description:
      'The TLS client-certificate settings of IIS FTP sites and of siteDefaults (sslClientCertificates, ssl, authentication/clientCertAuthentication), on the live IIS configuration or in an applicationHost.config file.',
    tags: ['IIS', 'FTP', 'FTPS', 'TLS', 'ClientCertificate', 'Windows'],
    get: command('get'),
    set: command('set', { implementsPretest: true, return: 'stateAndDiff' }, [{ whatIfArg: '--what-if' }]),
    test: command('test', { return: 'stateAndDiff' }),
    export: command('export'),
    exitCodes: Object.fromEntries(Object.entries(DSC_EXIT_CODES).map(([code, description]) => [code, description])),
    schema: { embedded: instanceJsonSchema() },
  };
}

/** The manifest as the shipped file holds it. */
export const dscManifestText = (): string => `${JSON.stringify(dscManifest(), null, 2)}\n`;
