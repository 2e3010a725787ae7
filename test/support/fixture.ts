import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SHARED = join(REPO, '..', 'shared', 'fixtures', 'applicationHost.config');
/** The realistic fixture (CRLF, comments, escaped names); the copy in examples/ where shared/ is absent. */
export const FIXTURE = existsSync(SHARED) ? SHARED : join(REPO, 'examples', 'applicationHost.config');
export const SHARED_FIXTURE = SHARED;

const dirs: string[] = [];

/** A fresh temporary folder, removed after the run. */
export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'iis-ftps-test-'));
  dirs.push(d);
  return d;
}

/** Copies the fixture into a temporary folder and returns the copy's path. The fixture itself is never edited. */
export function copyFixture(name = 'applicationHost.config'): string {
  const path = join(tempDir(), name);
  copyFileSync(FIXTURE, path);
  return path;
}

/** Writes text (or bytes) to a new temporary file. */
export function writeTemp(content: string | Uint8Array, name = 'applicationHost.config'): string {
  const path = join(tempDir(), name);
  writeFileSync(path, content);
  return path;
}

export const readText = (path: string): string => readFileSync(path, 'utf8');
export const readBytes = (path: string): Buffer => readFileSync(path);
export const mtimeOf = (path: string): number => statSync(path).mtimeMs;

/** Lines (CRLF kept) that differ between two texts, as [line number, before, after]. */
export function changedLines(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  let s = 0;
  while (s < a.length - p && s < b.length - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
  return { removed: a.slice(p, a.length - s), added: b.slice(p, b.length - s) };
}

process.on('exit', () => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
