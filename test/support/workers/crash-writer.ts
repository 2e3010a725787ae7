/**
 * A writer for the crash test: commits again and again on one site of a large file, setting
 * serverCertStoreName to v<n>, v<n+1>, ... (of varying length), and after each commit prints
 * `done <n> <ms> <ops>` with a synchronous write (the commit's time and its file operations so
 * far), so the parent knows which versions were committed when it kills this process with
 * SIGKILL. With STOP_AT > 0 the writer stops for good just before its STOP_AT-th file operation
 * (see test/doubles/phase-fs.ts) and prints `stop ...`; with 0 it runs until it is killed.
 *
 *   node --import tsx crash-writer.ts CONFIG SITE START STOP_AT
 */
import { writeSync } from 'node:fs';
import { XmlBackend } from '../../../src/backends/xml/index.js';
import { PhaseWriteFsDouble } from '../../doubles/phase-fs.js';
import { crashValue } from './crash-value.js';

// The element is spelled out rather than taken from the schema, so the process starts fast.
const SSL = { element: 'ssl', path: ['ftpServer', 'security', 'ssl'] } as const;

const [config, site, start, stopAt] = process.argv.slice(2) as [string, string, string, string];
const writeFs = new PhaseWriteFsDouble(Number(stopAt));
const backend = new XmlBackend({ path: config, backup: { keep: 3 }, writeFs });
writeSync(1, 'ready\n');
for (let n = Number(start); ; n++) {
  const began = performance.now();
  const snap = await backend.read({ elements: [SSL], sites: [{ name: site }] });
  const s = snap.sites[0]!;
  await backend.commit({
    version: snap.version,
    changes: [{ level: 'site', site: { name: s.name, id: s.id }, ...SSL, attribute: 'serverCertStoreName', type: 'string', value: crashValue(n) }],
  });
  writeSync(1, `done ${n} ${(performance.now() - began).toFixed(1)} ${writeFs.count}\n`);
}
