/**
 * Progress of long calls (thousands of sites), reported through a callback so that callers
 * decide how to show it: the CLI draws a bar on a terminal, a service may log, a test counts.
 */
export interface Progress {
  /** `read`: loading the configuration; `stage`: staging changes site by site; `commit`: writing them. */
  readonly phase: 'read' | 'stage' | 'commit';
  readonly done: number;
  readonly total: number;
}

export type ProgressCallback = (progress: Progress) => void;

export interface ProgressOptions {
  /** Called as the work goes on; every phase ends with `done === total`. */
  readonly onProgress?: ProgressCallback;
}

/** Runs `work` between a phase's start (0 of 1) and end (1 of 1). */
export async function phase<T>(name: Progress['phase'], onProgress: ProgressCallback | undefined, work: () => Promise<T>): Promise<T> {
  onProgress?.({ phase: name, done: 0, total: 1 });
  const result = await work();
  onProgress?.({ phase: name, done: 1, total: 1 });
  return result;
}

/** Hands items to `stage` in about a hundred steps, reporting each. */
export function inSteps<T>(items: readonly T[], stage: (chunk: readonly T[]) => void, onProgress: ProgressCallback | undefined): void {
  const step = Math.max(1, Math.ceil(items.length / 100));
  for (let i = 0; i < items.length; i += step) {
    stage(items.slice(i, i + step));
    onProgress?.({ phase: 'stage', done: Math.min(items.length, i + step), total: items.length });
  }
}
