/**
 * A writer for the crash test: commits again and again on one site of a large file, setting
 * serverCertStoreName to v<n>, v<n+1>, ... (of varying length), and after each commit prints
 * `done <n>` with a synchronous write, so the parent knows which versions were committed when it
 * kills this process with SIGKILL at a random moment.
 *
 *   node --import tsx crash-writer.ts CONFIG SITE START
 */
import { writeSync } from 'node:fs';
import { XmlBackend } from '../../../src/backends/xml/index.js';
import { crashValue } from './crash-value.js';

// The element is spelled out rather than taken from the schema, so the process starts fast.
const SSL = { element: 'ssl', path: ['ftpServer', 'security', 'ssl'] } as const;

const [config, site, start] = process.argv.slice(2) as [string, string, string];
const backend = new XmlBackend({ path: config, backup: { keep: 3 } });
writeSync(1, 'ready\n');
for (let n = Number(start); ; n++) {
  const snap = await backend.read({ elements: [SSL], sites: [{ name: site }] });
  const s = snap.sites[0]!;
  await backend.commit({
    version: snap.version,
    changes: [{ level: 'site', site: { name: s.name, id: s.id }, ...SSL, attribute: 'serverCertStoreName', type: 'string', value: crashValue(n) }],
  });
  writeSync(1, `done ${n}\n`);
}
