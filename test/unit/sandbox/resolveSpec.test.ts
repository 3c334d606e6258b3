import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_SANDBOX_MOUNTS,
  resolveSandboxSpec,
  type EntryKind,
  type SandboxFileView,
} from '../../../src/core/sandbox/resolveSpec';
import type { SandboxSpec } from '../../../src/core/sandbox/sandboxSpec';

/** A file system of kinds, with symlinks followed by realpath (one hop is enough here). */
function view(kinds: Record<string, EntryKind>, links: Record<string, string> = {}): SandboxFileView {
  return {
    kind: (path) => (links[path] !== undefined ? 'symlink' : kinds[path]),
    realpath: (path) => {
      for (const [link, target] of Object.entries(links)) {
        if (path === link || path.startsWith(`${link}/`)) return target + path.slice(link.length);
      }
      return kinds[path] !== undefined ? path : undefined;
    },
  };
}

function spec(overrides: Partial<SandboxSpec> = {}): SandboxSpec {
  return {
    mode: 'preview',
    platform: 'linux',
    workspaceFolders: ['/ws'],
    homeDir: '/home/u',
    hidden: [],
    readOnly: [],
    caches: [],
    allowedDomains: [],
    repositoryInternals: 'read-only',
    problems: [],
    ...overrides,
  };
}

const rule = (path: string, reason = 'r') => ({ path, reason });

describe('resolveSandboxSpec meets the spec with the file system', () => {
  test('existing hidden paths become file or folder mounts; missing ones are dropped', () => {
    const result = resolveSandboxSpec(
      spec({ hidden: [rule('/ws/.env'), rule('/home/u/.ssh'), rule('/home/u/.netrc')] }),
      view({ '/ws': 'directory', '/ws/.env': 'file', '/home/u/.ssh': 'directory' }),
    );
    assert.ok(result.ok);
    assert.deepEqual(
      result.resolved.hidden.map((m) => `${m.kind} ${m.path}`),
      ['directory /home/u/.ssh', 'file /ws/.env'],
    );
  });

  test('a hidden symlink is followed: its target is what gets hidden', () => {
    const result = resolveSandboxSpec(
      spec({ hidden: [rule('/home/u/.ssh')] }),
      view({ '/ws': 'directory', '/data/ssh': 'directory' }, { '/home/u/.ssh': '/data/ssh' }),
    );
    assert.ok(result.ok);
    assert.deepEqual(
      result.resolved.hidden.map((m) => m.path),
      ['/data/ssh'],
    );
  });

  test('a path that lands inside a hidden folder needs no mount of its own', () => {
    const result = resolveSandboxSpec(
      spec({ hidden: [rule('/home/u/.ssh'), rule('/ws/key')] }),
      view(
        { '/ws': 'directory', '/home/u/.ssh': 'directory', '/home/u/.ssh/id': 'file' },
        { '/ws/key': '/home/u/.ssh/id' },
      ),
    );
    assert.ok(result.ok);
    assert.deepEqual(
      result.resolved.hidden.map((m) => m.path),
      ['/home/u/.ssh'],
    );
  });

  test('a hidden path that is or holds a workspace folder is never mounted over', () => {
    const result = resolveSandboxSpec(
      spec({ hidden: [rule('/ws'), rule('/')] }),
      view({ '/': 'directory', '/ws': 'directory' }),
    );
    assert.ok(result.ok);
    assert.deepEqual(result.resolved.hidden, []);
  });

  test('read-only paths resolve like hidden ones, and a path both hidden and read-only is hidden', () => {
    const result = resolveSandboxSpec(
      spec({ hidden: [rule('/ws/a/.git')], readOnly: [rule('/ws/.git'), rule('/ws/a/.git')] }),
      view({ '/ws': 'directory', '/ws/.git': 'directory', '/ws/a/.git': 'directory' }),
    );
    assert.ok(result.ok);
    assert.deepEqual(
      result.resolved.readOnly.map((m) => m.path),
      ['/ws/.git'],
    );
  });

  test('caches must exist as folders, and never nest in one another or in a hidden folder', () => {
    const result = resolveSandboxSpec(
      spec({
        hidden: [rule('/home/u/secret')],
        caches: ['/home/u/.cache', '/home/u/.cache/pip', '/home/u/.npm', '/home/u/missing', '/home/u/secret/c'],
      }),
      view({
        '/ws': 'directory',
        '/home/u/.cache': 'directory',
        '/home/u/.cache/pip': 'directory',
        '/home/u/.npm': 'file',
        '/home/u/secret': 'directory',
        '/home/u/secret/c': 'directory',
      }),
    );
    assert.ok(result.ok);
    assert.deepEqual(result.resolved.caches, ['/home/u/.cache']);
  });

  test('a missing workspace folder is an error', () => {
    const result = resolveSandboxSpec(spec(), view({}));
    assert.equal(result.ok, false);
  });

  test(`more than ${MAX_SANDBOX_MOUNTS} mounts refuse to start, and say how to fix it`, () => {
    const kinds: Record<string, EntryKind> = { '/ws': 'directory' };
    const hidden = [];
    for (let i = 0; i <= MAX_SANDBOX_MOUNTS; i++) {
      kinds[`/ws/f${i}.pem`] = 'file';
      hidden.push(rule(`/ws/f${i}.pem`));
    }
    const result = resolveSandboxSpec(spec({ hidden }), view(kinds));
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.reason : '', /warden\.permissions\.deny/);
  });
});
