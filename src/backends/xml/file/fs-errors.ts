/** Why a write failed, in words, from the error code. */
export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOSPC' || code === 'EDQUOT' ? 'the disk is full'
    : code === 'EACCES' || code === 'EPERM' ? 'permission denied (run as a user who may write the folder)'
    : code === 'EROFS' ? 'the file system is read-only'
    : code === 'ENOENT' ? 'the folder does not exist'
    : String((e as Error).message ?? e);
}
