// A PolicyEnvironment over an in-memory file tree with symlinks, for path-policy tests.
import type { PolicyEnvironment } from '../../../src/core/policy/policy';
import type { RuleEntry } from '../../../src/core/policy/policy';
import type { SymlinkAwareEnvironment } from '../../../src/core/policy/canonicalPath';

export interface FakeTree {
  /** Absolute POSIX paths that exist (their ancestors exist too). */
  files?: readonly string[];
  /** Symlink path → target (absolute, or relative to the link's folder). */
  links?: Readonly<Record<string, string>>;
}

/** realpath over a fake tree: follows links segment by segment (parents included), undefined when missing. */
export function fakeRealpath(tree: FakeTree): (path: string) => string | undefined {
  const existing = new Set<string>(['/']);
  for (const file of tree.files ?? []) {
    const parts = file.split('/').filter(Boolean);
    for (let i = 1; i <= parts.length; i++) existing.add('/' + parts.slice(0, i).join('/'));
  }
  const links = tree.links ?? {};
  return (path: string) => {
    let parts = path.split('/').filter(Boolean);
    let resolved: string[] = [];
    for (let hops = 0; parts.length > 0; ) {
      const next = parts.shift()!;
      if (next === '.') continue;
      if (next === '..') {
        resolved.pop();
        continue;
      }
      const candidate = '/' + [...resolved, next].join('/');
      const target = links[candidate];
      if (target !== undefined) {
        if (++hops > 40) throw new Error('ELOOP');
        parts = [...target.split('/').filter(Boolean), ...parts];
        if (target.startsWith('/')) resolved = []; // a relative target continues from the link's folder
        continue;
      }
      if (!existing.has(candidate)) return undefined;
      resolved.push(next);
    }
    return '/' + resolved.join('/');
  };
}

export function fakeEnv(
  options: Partial<Omit<PolicyEnvironment, 'realpath'>> & {
    tree?: FakeTree;
    realpath?: PolicyEnvironment['realpath'];
    withReadlink?: boolean;
  } = {},
): SymlinkAwareEnvironment {
  const workspaceFolders = options.workspaceFolders ?? ['/ws'];
  const links = options.tree?.links ?? {};
  return {
    ...(options.withReadlink ? { readlink: (path: string) => links[path] } : {}),
    workspaceFolders,
    homeDir: options.homeDir ?? '/home/u',
    caseInsensitive: options.caseInsensitive ?? false,
    platform: options.platform ?? 'posix',
    realpath:
      options.realpath ?? fakeRealpath(options.tree ?? { files: [...workspaceFolders, '/home/u', '/etc/passwd'] }),
  };
}

export const user = (...values: string[]): RuleEntry[] => values.map((value) => ({ value, source: 'user' }));

/** Default permissions: read and write everything, deny nothing extra, auto-approve nothing. */
export function settings(
  overrides: Partial<Record<'read' | 'write' | 'deny' | 'autoApproveWrites', RuleEntry[]>> = {},
) {
  return {
    read: overrides.read ?? user('**'),
    write: overrides.write ?? user('**'),
    deny: overrides.deny ?? [],
    autoApproveWrites: overrides.autoApproveWrites ?? [],
  };
}
