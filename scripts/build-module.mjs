#!/usr/bin/env node
/**
 * Builds the PowerShell module as it is published and installed: a self-contained folder
 * dist/IisFtps/ whose manifest IisFtps.psd1 is made from the repository's Manifest.psd1 (the
 * source manifest, which stays at the root). A module is named after its manifest's file name,
 * so only this folder imports as `IisFtps`; every file the module loads is inside it.
 *
 *   dist/IisFtps/IisFtps.psd1              Manifest.psd1, with FunctionsToExport read from module/Public
 *   dist/IisFtps/<each of MODULE_FOLDERS>  copied whole, at the same relative path (the module
 *                                          finds its files relative to itself, as in the repository)
 *   dist/IisFtps/en-US/                    module/en-US: about_IisFtps, where Get-Help looks for it
 *
 * Usage: node scripts/build-module.mjs [--out DIR] [--sync-version]
 *   --out DIR        build into DIR/IisFtps instead of dist/IisFtps
 *   --sync-version   write package.json's version into Manifest.psd1's ModuleVersion and stop
 *                    (run by `npm version`, so the npm package and the module keep one version)
 * Refuses to build when Manifest.psd1's ModuleVersion differs from package.json's version, or
 * when a path the manifest names is missing from the built folder.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('..', import.meta.url));
export const MODULE_NAME = 'IisFtps';
export const SOURCE_MANIFEST = join(REPO, 'Manifest.psd1');

/**
 * The repository's folders the module loads files from, each copied whole into the module folder
 * at the same relative path. A new folder the module needs (C# sources, DSC resources, data) is
 * one more entry here.
 */
export const MODULE_FOLDERS = ['module', 'ps', 'src/engine'];

/** The module's help folder (about_ topics), placed at the module's base, where Get-Help finds it. */
const HELP_SOURCE = join('module', 'en-US');
const HELP_TARGET = 'en-US';

/** The public cmdlets: one file per cmdlet in module/Public, named after it. */
export function publicCmdlets() {
  return readdirSync(join(REPO, 'module', 'Public'))
    .filter((f) => f.endsWith('.ps1'))
    .map((f) => basename(f, '.ps1'))
    .sort();
}

export function packageVersion() {
  return JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version;
}

const VERSION_LINE = /^(\s*ModuleVersion\s*=\s*)'([^']*)'/m;
const EXPORTS_LINE = /^(\s*FunctionsToExport\s*=\s*)@\([^)]*\)/m;

export function manifestVersion(text = readFileSync(SOURCE_MANIFEST, 'utf8')) {
  const m = VERSION_LINE.exec(text);
  if (!m) throw new Error(`${SOURCE_MANIFEST} has no ModuleVersion = '...' line`);
  return m[2];
}

/** IisFtps.psd1: the source manifest with FunctionsToExport listing module/Public's cmdlets. */
export function builtManifest(text = readFileSync(SOURCE_MANIFEST, 'utf8'), npmVersion = packageVersion()) {
  const version = manifestVersion(text);
  if (version !== npmVersion) {
    throw new Error(
      `Manifest.psd1 has ModuleVersion '${version}' but package.json has version '${npmVersion}'; the module and the npm package share one version: run 'node scripts/build-module.mjs --sync-version'.`,
    );
  }
  if (!EXPORTS_LINE.test(text)) throw new Error(`${SOURCE_MANIFEST} has no FunctionsToExport = @(...) line`);
  const list = publicCmdlets().map((n) => `'${n}'`).join(', ');
  return text.replace(EXPORTS_LINE, (_, head) => `${head}@(${list})`);
}

/** Relative paths the manifest names (RootModule, FormatsToProcess, ...): each must be in the folder. */
function manifestPaths(text) {
  return [...text.matchAll(/'([^'\r\n]+\.(?:psm1|ps1|ps1xml|dll|psd1))'/g)].map((m) => m[1]);
}

function copyTree(from, to, skip) {
  cpSync(from, to, {
    recursive: true,
    filter: (src) => !skip.some((s) => src === s || src.startsWith(s + sep)),
  });
}

/** Builds DIR/IisFtps and returns its path. */
export function buildModule(outDir = join(REPO, 'dist')) {
  const manifest = builtManifest();
  const target = resolve(outDir, MODULE_NAME);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  for (const folder of MODULE_FOLDERS) {
    const from = join(REPO, folder);
    if (!existsSync(from)) throw new Error(`the module folder '${folder}' (MODULE_FOLDERS in scripts/build-module.mjs) does not exist`);
    copyTree(from, join(target, folder), [join(REPO, HELP_SOURCE)]);
  }
  if (existsSync(join(REPO, HELP_SOURCE))) cpSync(join(REPO, HELP_SOURCE), join(target, HELP_TARGET), { recursive: true });
  writeFileSync(join(target, `${MODULE_NAME}.psd1`), manifest);
  const missing = manifestPaths(manifest).filter((p) => !existsSync(join(target, p)));
  if (missing.length) throw new Error(`Manifest.psd1 names ${missing.join(', ')}, which the module folder does not hold; add the folder to MODULE_FOLDERS in scripts/build-module.mjs`);
  return target;
}

function syncVersion() {
  const text = readFileSync(SOURCE_MANIFEST, 'utf8');
  const version = packageVersion();
  if (manifestVersion(text) === version) return;
  writeFileSync(SOURCE_MANIFEST, text.replace(VERSION_LINE, (_, head) => `${head}'${version}'`));
  console.log(`build-module: Manifest.psd1 ModuleVersion is now ${version}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  try {
    if (args.includes('--sync-version')) {
      syncVersion();
    } else {
      const i = args.indexOf('--out');
      const out = i >= 0 ? args[i + 1] : undefined;
      if (i >= 0 && !out) throw new Error('--out needs a folder');
      const unknown = args.filter((a, k) => a !== '--out' && (i < 0 || k !== i + 1));
      if (unknown.length) throw new Error(`unknown argument ${unknown.join(' ')}; usage: node scripts/build-module.mjs [--out DIR] [--sync-version]`);
      const built = buildModule(out ? resolve(out) : undefined);
      console.log(`build-module: ${relative(process.cwd(), built) || built} (${publicCmdlets().length} cmdlets)`);
    }
  } catch (e) {
    console.error(`build-module: ${e.message}`);
    process.exit(1);
  }
}
