// A file operation's failure in words, for one-line errors ("read-only file system").

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EIO: 'input/output error',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'it is a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'name too long',
  EEXIST: 'it exists and is not a directory',
  EINVAL: 'not a place for a file (invalid argument)',
};

export function fsReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code) return REASONS[code] ?? code;
  return String((error as Error | null)?.message ?? error);
}
