// Places on the machine the built-in rules know: devices that are harmless, endless, or disks; files
// that run at every login or shell start; system directories and the home directory, which no recursive
// delete or permission change may reach.
import { posix } from 'node:path';
import type { RuleContext } from './analysis';
import type { Word } from './parse/words';

const HARMLESS_DEVICES = new Set([
  '/dev/null',
  '/dev/stdout',
  '/dev/stderr',
  '/dev/stdin',
  '/dev/tty',
  '/dev/fd/0',
  '/dev/fd/1',
  '/dev/fd/2',
  '/proc/self/fd/1',
  '/proc/self/fd/2',
]);
const BLOCK_DEVICE = new RegExp(
  `^/dev/(${[
    'sd[a-z]',
    'hd[a-z]',
    'vd[a-z]',
    'xvd[a-z]',
    'nvme\\d',
    'mmcblk\\d',
    'disk\\d',
    'rdisk\\d',
    'dm-\\d',
    'md\\d',
    'mapper/',
    'loop\\d',
    'sr\\d',
    'mem$',
    'kmem$',
    'port$',
  ].join('|')})`,
);
const ENDLESS_INPUTS = /^\/dev\/(zero|u?random|full)$|^\/proc\/[^/]+\/(mem|kcore)$|^\/proc\/kcore$/;
const MEMORY_DEVICE = /^\/dev\/(mem|kmem|port)$/;

export function isHarmlessDevice(path: string): boolean {
  return HARMLESS_DEVICES.has(path);
}

export function isBlockDevice(path: string): boolean {
  return BLOCK_DEVICE.test(path);
}

export function isEndlessInput(path: string): boolean {
  return ENDLESS_INPUTS.test(path);
}

export function isMemoryDevice(path: string): boolean {
  return MEMORY_DEVICE.test(path);
}

/** Files that run at every login or shell start, or grant access: a write plants persistent code. */
const STARTUP_IN_HOME = [
  '.bashrc',
  '.bash_profile',
  '.bash_login',
  '.bash_logout',
  '.profile',
  '.zshrc',
  '.zprofile',
  '.zshenv',
  '.zlogin',
  '.zlogout',
  '.kshrc',
  '.mkshrc',
  '.cshrc',
  '.tcshrc',
  '.login',
  '.logout',
  '.xinitrc',
  '.xprofile',
  '.xsession',
  '.config/fish/config.fish',
  '.config/fish/conf.d/',
  '.ssh/authorized_keys',
  '.ssh/authorized_keys2',
  '.ssh/rc',
  '.ssh/config',
  '.ssh/environment',
  '.gitconfig',
  '.config/git/config',
  '.config/autostart/',
  '.npmrc',
  '.pam_environment',
  '.config/environment.d/',
  '.config/systemd/user/',
  '.local/share/systemd/user/',
  'Library/LaunchAgents/',
];
const STARTUP_SYSTEM = [
  '/etc/profile',
  '/etc/profile.d/',
  '/etc/bash.bashrc',
  '/etc/bashrc',
  '/etc/zshrc',
  '/etc/zsh/',
  '/etc/zprofile',
  '/etc/zshenv',
  '/etc/environment',
  '/etc/crontab',
  '/etc/cron.',
  '/etc/sudoers',
  '/etc/ld.so.preload',
  '/etc/rc.local',
  '/etc/systemd/',
  '/var/spool/cron/',
  '/Library/LaunchAgents/',
  '/Library/LaunchDaemons/',
];

export function startupFileRule(absolute: string, home: string): boolean {
  const path = absolute.toLowerCase();
  const homePrefix = `${home.replace(/\/+$/, '')}/`.toLowerCase();
  if (path.startsWith(homePrefix)) {
    const rel = path.slice(homePrefix.length);
    for (const entry of STARTUP_IN_HOME) {
      const e = entry.toLowerCase();
      if (e.endsWith('/') ? rel.startsWith(e) || rel === e.slice(0, -1) : rel === e) return true;
    }
  }
  for (const entry of STARTUP_SYSTEM) {
    const e = entry.toLowerCase();
    if (e.endsWith('/') || e.endsWith('.') ? path.startsWith(e) : path === e) return true;
  }
  return false;
}

const SYSTEM_ROOTS = new Set([
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/opt',
  '/proc',
  '/root',
  '/sbin',
  '/srv',
  '/sys',
  '/usr',
  '/var',
  '/System',
  '/Library',
  '/Applications',
  '/private',
  '/nix',
  '/snap',
]);

/** Absolute lexical paths a static word can name (one per possible working directory), or undefined. */
export function resolveStatic(word: Word, ctx: RuleContext): string[] | undefined {
  if (word.dynamic || word.brace) return undefined;
  const value = word.value;
  if (word.tilde) {
    if (value === '~' || value.startsWith('~/')) return [posix.resolve(ctx.home, `.${value.slice(1)}`)];
    return undefined;
  }
  if (value.startsWith('/')) return [posix.resolve(value)];
  return ctx.cwds.map((cwd) => posix.resolve(cwd, value));
}

/**
 * What an `rm -r` (or recursive chmod/chown) of this word would wipe out when that is the system, the
 * home directory or a directory above the one the command runs in; undefined for ordinary targets.
 */
export function criticalTarget(word: Word, ctx: RuleContext): string | undefined {
  if (word.dynamic || word.brace) return undefined;
  let value = word.value;
  if (word.glob) {
    // `/*`, `~/*`, `.*` (which once matched `..`): judge the directory the glob lists.
    const first = value.search(/[*?[]/);
    const slash = value.lastIndexOf('/', first);
    const name = value.slice(slash + 1);
    if (/^\.\*|^\.\.?[*?[]/.test(name)) value = slash >= 0 ? `${value.slice(0, slash + 1)}..` : '..';
    else value = slash >= 0 ? value.slice(0, slash + 1) || '/' : '.';
  }
  const candidates = resolveStatic({ ...word, value, glob: false }, ctx);
  if (!candidates) return undefined;
  const home = posix.resolve(ctx.home);
  for (const path of candidates) {
    if (path === '/') return 'the whole file system';
    if (path === home) return 'your home directory';
    if (home.startsWith(`${path}/`)) return 'the directory holding your home directory';
    const segments = path.split('/').filter(Boolean);
    if (segments.length === 1) return `the system directory \`${path}\``;
    if (segments.length === 2 && SYSTEM_ROOTS.has(`/${segments[0]}`)) return `the system directory \`${path}\``;
    for (const cwd of ctx.cwds)
      if (cwd.startsWith(`${path}/`)) return `\`${path}\`, a directory above the one the command runs in`;
  }
  return undefined;
}

/** `/dev/stdin`, `/dev/fd/0`, `/proc/self/fd/3`: a path that opens an inherited descriptor, not a file on disk. */
export function isDescriptorPath(path: string): boolean {
  return /^\/(?:dev\/(?:stdin|fd\/\d+)|proc\/(?:self|thread-self|\d+)\/fd\/\d+)$/.test(posix.normalize(path));
}
