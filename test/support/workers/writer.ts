/**
 * A writer process for the concurrency test: makes `count` changes, one one-shot write each, on
 * its own sites of a shared file, through the API or the CLI, with no retry of any kind, as a
 * provisioning job that knows nothing of the others would. Any failure ends it with an error.
 * Prints one JSON line with what it did.
 *
 *   node --import tsx writer.ts api|cli CONFIG FIRST_SITE COUNT TAG
 */
import { setFtpsSetting } from '../../../src/api/cmdlets.js';
import { run } from '../../../src/cli/run.js';
import { siteName } from '../generate.js';

const [mode, config, first, count, tag] = process.argv.slice(2) as [string, string, string, string, string];
for (let j = 0; j < Number(count); j++) {
  const site = siteName(Number(first) + j);
  const value = `${tag}-${j}`;
  if (mode === 'cli') {
    let err = '';
    const code = await run(['set', '--config', config, '--site', site, '--server-cert-store-name', value], { stdout: () => {}, stderr: (t) => (err += t) });
    if (code !== 0) throw new Error(`cli exited ${code}: ${err}`);
  } else {
    await setFtpsSetting({ config, site, settings: { serverCertStoreName: value } });
  }
}
process.stdout.write(`${JSON.stringify({ mode, first: Number(first), count: Number(count) })}\n`);
