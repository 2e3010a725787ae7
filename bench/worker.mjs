/**
 * Runs one bench operation in a process of its own, so that the process's peak RSS is that
 * operation's, and prints one JSON line: { "ms": time of the operation alone, "maxRss": bytes }.
 *
 *   node bench/worker.mjs OP FILE [SITE]
 *
 * Runs the built library (dist/), as an installed package would; `npm run bench` builds it first.
 * The file is changed in place: the caller hands it a fresh copy and checks what was written.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const [op, file, site] = process.argv.slice(2);

/** The values a single-site and a bulk set change; the generator writes other values for most sites. */
export const SET_VALUES = { clientCertificatePolicy: 'CertRequire', ssl128: true };

/** Each operation: `load` imports what it needs (not timed), `run` is timed. */
const OPERATIONS = {
  /** An idle process with the library loaded: what the runtime itself costs. */
  idle: { load: () => import('../dist/api/cmdlets.js'), run: async () => {} },
  /** The floor: read the file, one full pass of a conformant streaming XML parser, write it back. */
  floor: {
    load: () => import('saxes'),
    run: async ({ SaxesParser }) => {
      const text = readFileSync(file).toString('utf8');
      const parser = new SaxesParser({ xmlns: false, position: true });
      let elements = 0;
      parser.on('opentag', () => elements++);
      parser.write(text).close();
      if (elements === 0) throw new Error('no elements');
      writeFileSync(file, text);
    },
  },
  get: { load: () => import('../dist/api/cmdlets.js'), run: (m) => m.getFtpsSetting({ backend: 'xml', config: file, site }) },
  set: { load: () => import('../dist/api/cmdlets.js'), run: (m) => m.setFtpsSetting({ backend: 'xml', config: file, site, settings: SET_VALUES }) },
  noop: { load: () => import('../dist/api/cmdlets.js'), run: (m) => m.setFtpsSetting({ backend: 'xml', config: file, site, settings: SET_VALUES }) },
  bulk: { load: () => import('../dist/api/cmdlets.js'), run: (m) => m.setFtpsSetting({ backend: 'xml', config: file, allFtpSites: true, settings: SET_VALUES }) },
  /** The same without the backup copy, for reference (the floor writes one file, a commit two); targets are judged on `bulk`. */
  'bulk-no-backup': { load: () => import('../dist/api/cmdlets.js'), run: (m) => m.setFtpsSetting({ backend: 'xml', config: file, allFtpSites: true, settings: SET_VALUES, backup: false }) },
  /** A naive round trip with fast-xml-parser: parse to objects (order and comments kept), build, write. */
  'fast-xml-parser': {
    load: () => import('fast-xml-parser'),
    run: async ({ XMLParser, XMLBuilder }) => {
      const options = { preserveOrder: true, ignoreAttributes: false, commentPropName: '#comment', format: true, indentBy: '    ', suppressEmptyNode: true };
      const tree = new XMLParser(options).parse(readFileSync(file, 'utf8'));
      writeFileSync(file, new XMLBuilder(options).build(tree));
    },
  },
  /** A naive round trip through a W3C DOM (@xmldom/xmldom): parse, serialize, write. */
  xmldom: {
    load: () => import('@xmldom/xmldom'),
    run: async ({ DOMParser, XMLSerializer }) => {
      const doc = new DOMParser().parseFromString(readFileSync(file, 'utf8'), 'text/xml');
      writeFileSync(file, new XMLSerializer().serializeToString(doc));
    },
  },
};

const operation = OPERATIONS[op];
if (!operation || !file) {
  process.stderr.write(`usage: node bench/worker.mjs (${Object.keys(OPERATIONS).join('|')}) FILE [SITE]\n`);
  process.exit(2);
}
const module = await operation.load();
const t0 = performance.now();
await operation.run(module);
const ms = performance.now() - t0;
process.stdout.write(`${JSON.stringify({ ms, maxRss: peakRss() })}\n`);

/**
 * This process's peak RSS. On Linux, VmHWM of /proc/self/status: getrusage's maxrss also counts
 * what the bench process held when it forked this one, which would hide small figures.
 */
function peakRss() {
  try {
    const m = /^VmHWM:\s*(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch {
    // Not Linux.
  }
  return process.resourceUsage().maxRSS * 1024;
}
