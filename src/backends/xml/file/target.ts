import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { resolveRedirection } from './redirection.js';

/**
 * The file the offline backend really reads, locks, backs up and writes for a `--config` path:
 * where shared configuration redirects it (redirection.config), and through a symbolic link to
 * its target, so the link stays a link and the new version lands in the file it points to.
 */
export function liveConfigPath(path: string): string {
  const abs = resolve(path);
  const redirected = resolveRedirection(abs)?.config ?? abs;
  try {
    return realpathSync(redirected);
  } catch {
    // Missing, or a link loop: reading it says which, with the path the user gave.
    return redirected;
  }
}
