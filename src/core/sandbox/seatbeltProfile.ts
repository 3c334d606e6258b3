// The macOS sandbox: a Seatbelt profile for `sandbox-exec` with `enforce` semantics (macOS has no
// copy-on-write layer, so workspace writes land directly). Everything may be read except the hidden paths;
// only the workspace folders and a private temporary folder may be written; the network is closed except
// for the filtering proxy's loopback port. In SBPL the last matching rule decides, so each narrowing rule
// follows the rule it narrows. Untested on a Mac in this project: generated and checked as text only.
import { posix } from 'node:path';
import type { ResolvedSandboxSpec } from './resolveSpec';

export interface SeatbeltOptions {
  /** A private temporary folder for this command (real path); TMPDIR points at it. */
  tempDir: string;
  /** The filtering proxy's port on 127.0.0.1; undefined: no network at all. */
  proxyPort?: number;
}

/** An SBPL string literal. */
export function sbplString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function filters(paths: readonly { path: string; kind: 'file' | 'directory' }[]): string[] {
  return paths.map((p) => `  (${p.kind === 'directory' ? 'subpath' : 'literal'} ${sbplString(p.path)})`);
}

function isInside(path: string, dir: string): boolean {
  return path.startsWith(`${dir}/`);
}

/** Folders between a workspace folder and a hidden path: renaming one would move the path out of its rule. */
function guardedAncestors(resolved: ResolvedSandboxSpec): string[] {
  const guarded = new Set<string>();
  for (const mount of [...resolved.hidden, ...resolved.readOnly]) {
    const folder = resolved.workspaceFolders.find((f) => isInside(mount.path, f));
    if (folder === undefined) continue;
    for (let dir = posix.dirname(mount.path); dir !== folder && isInside(dir, folder); dir = posix.dirname(dir)) {
      guarded.add(dir);
    }
  }
  return [...guarded].sort();
}

export function seatbeltProfile(resolved: ResolvedSandboxSpec, options: SeatbeltOptions): string {
  const lines = [
    '(version 1)',
    '(allow default)',
    ';; Writes: nowhere, except the workspace folders, the private temporary folder and the terminal devices.',
    '(deny file-write*)',
    '(allow file-write*',
    ...resolved.workspaceFolders.map((f) => `  (subpath ${sbplString(f)})`),
    `  (subpath ${sbplString(options.tempDir)})`,
    '  (literal "/dev/null")',
    '  (literal "/dev/zero")',
    '  (literal "/dev/dtracehelper")',
    '  (regex #"^/dev/tty")',
    '  (regex #"^/dev/fd/[0-9]+$"))',
  ];
  if (resolved.readOnly.length > 0) {
    lines.push(';; Repository internals: visible, never changed.', '(deny file-write*', ...filters(resolved.readOnly));
    lines[lines.length - 1] += ')';
  }
  const ancestors = guardedAncestors(resolved);
  if (ancestors.length > 0) {
    lines.push(
      ';; Folders holding a hidden or read-only path cannot be renamed away from their rule.',
      '(deny file-write-unlink',
      ...ancestors.map((dir) => `  (literal ${sbplString(dir)})`),
    );
    lines[lines.length - 1] += ')';
  }
  if (resolved.hidden.length > 0) {
    lines.push(
      ';; Denied files and credential stores: neither read nor written.',
      '(deny file-read* file-write*',
      ...filters(resolved.hidden),
    );
    lines[lines.length - 1] += ')';
  }
  lines.push(';; Network: none (no namespaces on macOS, so loopback is closed too).', '(deny network*)');
  if (options.proxyPort !== undefined) {
    lines.push(`(allow network-outbound (remote ip ${sbplString(`localhost:${options.proxyPort}`)}))`);
  }
  return `${lines.join('\n')}\n`;
}

export function seatbeltLaunch(
  resolved: ResolvedSandboxSpec,
  options: SeatbeltOptions & { bash: string; command: string },
): { file: string; args: string[] } {
  return {
    file: '/usr/bin/sandbox-exec',
    args: ['-p', seatbeltProfile(resolved, options), options.bash, '--noprofile', '--norc', '-c', options.command],
  };
}
