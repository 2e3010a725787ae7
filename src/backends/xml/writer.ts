/**
 * What the offline backend needs to change a file, and only then: planning edits, the edited
 * content, the lock, the backup and the atomic write, and a restore. Loaded by the backend when
 * its first commit, preview, lock or restore begins, so a read loads none of it.
 */
export { planEdits } from './edit/plan.js';
export { editedContent } from './edit/bytes.js';
export { cleanStaleTemps, nodeWriteFs, writeFileAtomic } from './file/write.js';
export { withFileLock } from './file/lock.js';
export { keepBackup } from './file/keep.js';
export { restoreConfigBackup } from './restore.js';
