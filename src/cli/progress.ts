import type { Progress } from '../api/progress.js';

const LABELS: Record<Progress['phase'], string> = { read: 'reading', stage: 'staging', commit: 'writing' };

export interface ProgressBar {
  readonly onProgress: (p: Progress) => void;
  /** Clears the bar, if one was drawn. */
  end(): void;
}

/**
 * A one-line progress bar for a terminal's stderr. It appears only for work that takes more than
 * a moment (over `afterMs`, or more than `manySites` sites to stage) and is redrawn at most every
 * `everyMs`; short calls print nothing at all.
 */
export function progressBar(write: (text: string) => void, options: { now?: () => number; afterMs?: number; manySites?: number; everyMs?: number } = {}): ProgressBar {
  const now = options.now ?? (() => performance.now());
  const afterMs = options.afterMs ?? 300;
  const manySites = options.manySites ?? 1000;
  const everyMs = options.everyMs ?? 50;
  const start = now();
  let shown = false;
  let last = -Infinity;
  return {
    onProgress(p) {
      const t = now();
      if (!shown && t - start < afterMs && !(p.phase === 'stage' && p.total > manySites)) return;
      if (shown && t - last < everyMs && p.done < p.total) return;
      shown = true;
      last = t;
      const width = 30;
      const filled = p.total > 0 ? Math.round((width * p.done) / p.total) : width;
      const count = p.phase === 'stage' ? ` ${p.done}/${p.total} sites` : '';
      write(`\r${LABELS[p.phase].padEnd(8)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round((100 * p.done) / (p.total || 1))).padStart(3)}%${count}\x1b[K`);
    },
    end() {
      if (shown) write('\r\x1b[K');
      shown = false;
    },
  };
}
