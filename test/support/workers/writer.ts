/**
 * A writer process for the concurrency test: makes `count` changes, one commit each, on its own
 * sites of a shared file, through the API or the CLI, and retries a change that meets CONFLICT
 * by reading again, as a caller does. Prints one JSON line with what it did.
 *
 *   node --import tsx writer.ts api|cli CONFIG FIRST_SITE COUNT TAG
 */
import { setFtpsSetting } from '../../../src/api/cmdlets.js';
import { isIisFtpsError } from '../../../src/errors/errors.js';
import { run } from '../../../src/cli/run.js';
import { siteName } from '../generate.js';

const [mode, config, first, count, tag] = process.argv.slice(2) as [string, string, string, string, string];
let conflicts = 0;
for (let j = 0; j < Number(count); j++) {
  const site = siteName(Number(first) + j);
  const value = `${tag}-${j}`;
  if (mode === 'cli') {
    let err = '';
    const code = await run(['set', '--config', config, '--site', site, '--server-cert-store-name', value, '--retry', '1000'], { stdout: () => {}, stderr: (t) => (err += t) });
    if (code !== 0) throw new Error(`cli exited ${code}: ${err}`);
  } else {
    for (;;) {
      try {
        await setFtpsSetting({ config, site, settings: { serverCertStoreName: value }, lock: { timeoutMs: 60_000 } });
        break;
      } catch (e) {
        if (!isIisFtpsError(e) || e.code !== 'CONFLICT') throw e;
        conflicts++;
      }
    }
  }
}
process.stdout.write(`${JSON.stringify({ mode, first: Number(first), count: Number(count), conflicts })}\n`);
