import type { BackupEntry } from '../backends/xml/file/backup.js';
import type { RestoreResult } from '../backends/xml/restore.js';

/** The kept copies, newest last, as `restore` lists them. */
export function formatBackups(list: readonly BackupEntry[]): string {
  if (list.length === 0) return 'No backups kept yet (one is kept before every write).\n';
  const rows = list.map((b) => `  ${String(b.counter).padStart(4)}  ${b.time}  ${String(b.size).padStart(9)} bytes  ${b.name}`);
  return `Backups (restore one with --from N, --from NAME or --from latest):\n${rows.join('\n')}\n`;
}

export function formatRestore(r: RestoreResult): string {
  if (!r.written) return `${r.file} already holds backup ${r.restored.counter} (${r.restored.name}); nothing was written.\n`;
  const kept = r.backup ? ` The version it replaced is kept as ${r.backup.counter} (${r.backup.name}).` : '';
  return `Restored ${r.file} from backup ${r.restored.counter} (${r.restored.name}, taken ${r.restored.time}).${kept}\n`;
}
