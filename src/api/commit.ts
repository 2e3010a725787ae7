import type { FtpsSession, PlannedChange } from '../session/session.js';

/** What a Set-, Reset- or apply call did (or, with whatIf, would do). */
export interface ChangeReport {
  /** Every change, old -> new at its level; empty when everything was already so. */
  readonly changes: readonly PlannedChange[];
  /** True when the store was written. Never true with whatIf or when there were no changes. */
  readonly written: boolean;
  readonly whatIf: boolean;
  /** With whatIf on a file: a unified diff of the file. */
  readonly diff?: string;
}

/** Commits a session's staged changes, or with whatIf describes them and throws them away. */
export async function finish(session: FtpsSession, whatIf: boolean): Promise<ChangeReport> {
  if (whatIf) {
    const changes = session.pendingChanges;
    let diff: string | undefined;
    if (changes.length > 0 && session.backend.preview) {
      const [p, { unifiedDiff }] = await Promise.all([session.backend.preview(session.changeSet), import('../edits/diff.js')]);
      diff = unifiedDiff(p.file, p.before, p.edits);
    }
    session.dispose();
    return diff === undefined ? { changes, written: false, whatIf } : { changes, written: false, whatIf, diff };
  }
  const result = await session.commitChanges();
  // Described after the commit, from what the session read and staged: the change set and its
  // edits are gone by then, so a bulk change does not hold both at once.
  return { changes: session.pendingChanges, written: result.written, whatIf };
}
