import { readFileSync } from 'node:fs';
import { IisFtpsError, isIisFtpsError } from '../errors/errors.js';
import { settings } from '../schema/index.js';
import type { CliIo } from '../cli/run.js';
import { dscExitCode } from './exit-codes.js';
import { DSC_MANIFEST_FILE, DSC_RESOURCE_TYPE } from './manifest.js';
import { type DscLog, type OperationResult, dscExport, dscGet, dscSet, dscTest } from './resource.js';

export const DSC_HELP = `iis-ftps dsc (get | set [--what-if] | test | export)

The command side of the Microsoft DSC v3 resource ${DSC_RESOURCE_TYPE}, as its manifest
${DSC_MANIFEST_FILE} declares it: DSC runs it with the instance as JSON on standard input, reads
JSON lines from standard output and log lines ({"error": ...}, {"warn": ...}, {"info": ...}) from
standard error. People rarely run it by hand; 'dsc resource get -r ${DSC_RESOURCE_TYPE}' does.

An instance names one target, "site": NAME, "siteId": N or "siteDefaults": true, optionally
"configPath": FILE (an applicationHost.config to edit instead of the live IIS), and the settings
it manages, by their schema names: ${settings.map((s) => s.name).join(', ')}.
A value is set at that level, null makes the setting inherit, and a setting left out is not managed.

  get     the target's own values of the settings named (all settings when none is named)
  test    the same with "_inDesiredState", then a JSON list of the settings that differ
  set     changes what differs in one commit (nothing when all is so), then prints the state and
          the list of settings it changed; --what-if prints the same and writes nothing
  export  one instance for siteDefaults and one per FTP site, one JSON line each; input may be
          empty (the live IIS) or { "configPath": FILE }

Example:
  echo '{"site":"Public Drop","configPath":"applicationHost.config","clientCertificatePolicy":"CertRequire"}' | iis-ftps dsc test
`;

const OPERATIONS = ['get', 'set', 'test', 'export'] as const;
type Operation = (typeof OPERATIONS)[number];

const logLine = (log: DscLog): string => `${JSON.stringify({ [log.level]: log.message })}\n`;

function readInput(io: CliIo, operation: Operation): unknown {
  let text: string;
  try {
    text = (io.stdin ?? (() => readFileSync(0, 'utf8')))();
  } catch (e) {
    throw new IisFtpsError('FILE_READ', `Cannot read the instance from standard input: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  text = text.replace(/^\uFEFF/, '').trim();
  if (text === '') {
    if (operation === 'export') return undefined;
    throw new IisFtpsError('INVALID_DESIRED_STATE', `'${operation}' reads an ${DSC_RESOURCE_TYPE} instance as JSON on standard input, and got none. Example: {"siteDefaults": true, "clientCertificatePolicy": "CertRequire"}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new IisFtpsError('INVALID_DESIRED_STATE', `The instance on standard input is not valid JSON: ${(e as Error).message}`);
  }
}

/** Runs `iis-ftps dsc ...` and returns its exit code (from the manifest's table); never throws. */
export async function runDsc(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const [operation, ...rest] = argv;
    if (operation === undefined || operation === '--help' || operation === '-h' || operation === 'help' || rest.includes('--help') || rest.includes('-h')) {
      io.stdout(DSC_HELP);
      return operation === undefined ? 2 : 0;
    }
    if (!(OPERATIONS as readonly string[]).includes(operation)) {
      throw new IisFtpsError('USAGE', `Unknown dsc operation ${JSON.stringify(operation)}. Operations: ${OPERATIONS.join(', ')}. Run 'iis-ftps dsc --help'.`);
    }
    const op = operation as Operation;
    const whatIf = rest.includes('--what-if');
    const unexpected = rest.filter((a) => !(a === '--what-if' && op === 'set'));
    if (unexpected.length) throw new IisFtpsError('USAGE', `'dsc ${op}' takes ${op === 'set' ? 'only --what-if' : 'no arguments'}; got ${unexpected.join(' ')}. The instance goes on standard input.`);
    const input = readInput(io, op);
    const result: OperationResult =
      op === 'get' ? await dscGet(input)
      : op === 'test' ? await dscTest(input)
      : op === 'set' ? await dscSet(input, { whatIf })
      : await dscExport(input);
    for (const log of result.logs) io.stderr(logLine(log));
    io.stdout(result.lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
    return 0;
  } catch (e) {
    if (isIisFtpsError(e)) {
      io.stderr(logLine({ level: 'error', message: `${e.message} (${e.code})` }));
      return dscExitCode(e.code);
    }
    io.stderr(logLine({ level: 'error', message: `internal error: ${(e as Error)?.stack ?? String(e)}` }));
    return dscExitCode(undefined);
  }
}
