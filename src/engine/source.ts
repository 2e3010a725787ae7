/**
 * Where the C# engine's source is, and its text as every live path compiles it.
 *
 * The engine (`src/engine/*.cs`) is the one implementation that talks to
 * Microsoft.Web.Administration.ServerManager. The edge backend hands this text to edge-js;
 * `ps/IisFtps.Core.ps1` reads the same files in the same order for `Add-Type` (and keys its
 * compiled-assembly cache by the SHA-256 of this text). The files are joined sorted by name
 * (ordinal), each followed by a line feed.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The engine's folder: beside this module in src/, or in the package's src/ when running from dist/. */
export function engineDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  if (existsSync(join(here, 'Engine.cs'))) return here;
  return fileURLToPath(new URL('../../src/engine/', import.meta.url));
}

/** The engine's C# files, sorted by name (ordinal). */
export function engineFiles(dir = engineDir()): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cs'))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((f) => join(dir, f));
}

/** The engine's source as one text: its files in order, each followed by a line feed. */
export function engineSource(dir = engineDir()): string {
  return engineFiles(dir)
    .map((f) => readFileSync(f, 'utf8').replace(/^\uFEFF/, '') + '\n')
    .join('');
}

/** SHA-256 of the engine's source text (UTF-8), lower-case hex: the key of PowerShell's compiled-assembly cache. */
export function engineHash(dir = engineDir()): string {
  return createHash('sha256').update(engineSource(dir), 'utf8').digest('hex');
}

/** The engine's entry point for edge-js. */
export const EDGE_TYPE_NAME = 'IisFtps.Engine.EdgeStartup';
