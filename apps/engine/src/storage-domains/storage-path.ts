import { registerDecorator, ValidationOptions } from 'class-validator';

/** Directories of the operating system itself: neither they nor anything below them may hold volumes
 * (a pool there would let VM disks overwrite, or be made from, the host's own files). */
const SYSTEM_TREES = [
  '/etc',
  '/usr',
  '/boot',
  '/root',
  '/proc',
  '/sys',
  '/dev',
  '/run',
  '/bin',
  '/sbin',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/var/run',
  '/var/lock',
];
/** Directories whose subdirectories are fine (/var/lib/kelpie/images, /srv/images) but which are
 * too broad to be a storage domain themselves. */
const TOO_BROAD = ['/', '/var', '/var/lib', '/home', '/srv', '/opt', '/mnt', '/media', '/tmp'];

/** `//a///b/` → `/a/b` (the path regex already refuses `.` and `..` segments). */
const normalized = (path: string) => `/${path.split('/').filter(Boolean).join('/')}`;

/** Why `path` cannot be a storage domain, or null when it can. */
export function storagePathProblem(path: string): string | null {
  const p = normalized(path);
  if (TOO_BROAD.includes(p)) return `${p} is too broad to hold a storage domain; use a directory below it`;
  const tree = SYSTEM_TREES.find((t) => p === t || p.startsWith(`${t}/`));
  if (tree) return `${tree} and everything below it belong to the operating system`;
  return null;
}

/** The path of a storage domain: not `/` nor a system directory (see storagePathProblem). */
export function IsStoragePath(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isStoragePath',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: (a) =>
          `${a.property} must not be / or a system directory: ${storagePathProblem(String(a.value))}`,
        ...options,
      },
      validator: { validate: (v: unknown) => typeof v !== 'string' || storagePathProblem(v) === null },
    });
}
