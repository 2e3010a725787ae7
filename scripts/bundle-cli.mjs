#!/usr/bin/env node
/**
 * Bundles the CLI for `iis-ftps` as installed (dist/cli/bin.cjs, src/cli/bin.cts runs it):
 *
 * - dist/cli/bundle.cjs: src/cli/run.ts and everything it imports, tsc's files from dist/, in one
 *   CommonJS file. What a command loads later (`import()` in the sources) is in it too, wrapped
 *   by esbuild so that it runs only when first imported.
 * - dist/cli/bundle.cjs.cache: V8's code cache of that bundle, made after running a few commands
 *   on a copy of examples/applicationHost.config in this process, so that it holds the compiled
 *   code of what those commands run, not only of the bundle's top level.
 *
 *   node scripts/bundle-cli.mjs      (run by `npm run build`, after tsc)
 *
 * The library (dist/index.js and the rest of dist/, dist/cli/main.js too) stays as tsc wrote it.
 *
 * A module that finds files relative to itself (`import.meta.url`: ps/, src/engine/, package.json,
 * Manifest.psd1, node_modules) would find them relative to the bundle instead. The bundle is in
 * dist/cli/, so each such `import.meta.url` is rewritten to the URL the module has in dist/,
 * made from the bundle's own: `new URL("../backends/powershell/backend.js", BUNDLE_URL).href`.
 * The paths each module computes are then the same as without the bundle.
 *
 * Packages (zod, node-powershell, edge-js) stay outside, required from node_modules as before.
 */
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(REPO, 'dist');
const OUT = join(DIST, 'cli');
const BUNDLE = join(OUT, 'bundle.cjs');
/** The bundle's URL, defined once at its top. */
const BUNDLE_URL = '__iisFtpsBundleUrl';

const relocate = {
  name: 'relocate-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, (args) => {
      const contents = readFileSync(args.path, 'utf8');
      if (!args.path.startsWith(DIST + sep) || !contents.includes('import.meta.url')) return { contents, loader: 'js' };
      const rel = relative(OUT, args.path).split(sep).join('/');
      const url = `new URL(${JSON.stringify(rel.startsWith('.') ? rel : `./${rel}`)}, ${BUNDLE_URL}).href`;
      return { contents: contents.replaceAll('import.meta.url', url), loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

// Output of earlier bundles: the chunked ESM bundle of before, and this one with its cache.
for (const f of readdirSync(OUT)) if (f.startsWith('bundle-') || f.startsWith('bundle.cjs')) rmSync(join(OUT, f));

const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
await build({
  stdin: { contents: "export { processIo, run } from './run.js'; export { keepYoungGenerationSmall } from './heap.js';", loader: 'js', resolveDir: OUT, sourcefile: 'bundle.js' },
  outfile: BUNDLE,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  banner: { js: `const ${BUNDLE_URL} = require("node:url").pathToFileURL(__filename).href;` },
  external: [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})],
  plugins: [relocate],
  logLevel: 'warning',
  legalComments: 'none',
});

// The code cache: the bundle compiled and run as the command runs it, then V8 asked for what it compiled.
const { loadBundle, CACHE } = createRequire(import.meta.url)(join(OUT, 'bin.cjs'));
const { bundle, script } = loadBundle(BUNDLE, undefined);
const work = mkdtempSync(join(tmpdir(), 'iis-ftps-bundle-'));
try {
  const config = join(work, 'applicationHost.config');
  copyFileSync(join(REPO, 'examples', 'applicationHost.config'), config);
  const out = [];
  const io = { stdout: (t) => out.push(t), stderr: (t) => out.push(t), stderrIsTTY: false };
  const commands = [
    ['--help'],
    ['set', '--help'],
    ['get', '--config', config, '--site', 'Partner Exchange'],
    ['get', '--config', config, '--all-ftp-sites', '--json'],
    ['set', '--config', config, '--site', 'Partner Exchange', '--client-certificate-policy', 'CertRequire', '--no-backup'],
    ['set', '--config', config, '--all-ftp-sites', '--ssl128', 'true', '--no-backup', '--json'],
  ];
  for (const argv of commands) {
    const code = await bundle.run(argv, io);
    if (code !== 0) throw new Error(`bundle-cli: iis-ftps ${argv.join(' ')} exited ${code}:\n${out.join('')}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
writeFileSync(CACHE, script.createCachedData());
