// What a sandboxed command may see and change, derived from the policy: the workspace folders (a copy-on-write
// view in `preview`, written directly in `enforce`), the files it must not read (the read policy's denied files
// and the credential stores in the home directory), repository internals (read-only, or hidden when git holds
// a secret), tool caches, a private /tmp, and the hosts it may reach. Platform runners turn it into arguments.
import { posix } from 'node:path';
import type { Policy } from '../policy/policy';
import { parseAllowedDomains, type DomainPattern } from './domainAllowlist';
import { credentialStores, serviceSocketFolders, toolCaches, type SandboxPlatform } from './homeStores';

export type SandboxMode = 'preview' | 'enforce' | 'off';

/** Strictest first: a workspace setting may only move the mode towards the front of this list. */
export const SANDBOX_MODES: readonly SandboxMode[] = ['preview', 'enforce', 'off'];

/** The stricter of two modes: `preview` keeps every write for review, `enforce` writes directly, `off` none. */
export function stricterSandboxMode(a: SandboxMode, b: SandboxMode): SandboxMode {
  return SANDBOX_MODES.indexOf(a) <= SANDBOX_MODES.indexOf(b) ? a : b;
}

export interface SandboxSpecInput {
  mode: 'preview' | 'enforce';
  platform: SandboxPlatform;
  /** Absolute, canonical workspace folder paths. */
  workspaceFolders: readonly string[];
  homeDir: string;
  /** The denied-file index: denied files inside the workspace folders (absolute), undefined while unknown. */
  deniedFiles: readonly string[] | undefined;
  /** The denied files git tracks, undefined while unknown. */
  trackedDeniedFiles: readonly string[] | undefined;
  /** The read policy: names the rule that denies a file, and tells a denied folder from a denied name. */
  policy: Pick<Policy, 'decidePath'>;
  /** `warden.sandbox.network.allowedDomains` (user scope). */
  allowedDomains: readonly unknown[];
  /** More paths to hide, e.g. the extension's own storage. */
  extraHiddenPaths?: readonly string[];
}

export interface SandboxPathRule {
  /** Absolute path (not yet resolved through symlinks; see resolveSandboxSpec). */
  path: string;
  /** Why, for the status and the audit: the policy rule or the credential store. */
  reason: string;
}

export interface SandboxSpec {
  mode: 'preview' | 'enforce';
  platform: SandboxPlatform;
  workspaceFolders: readonly string[];
  homeDir: string;
  /** Files and folders whose content the command never sees: an empty file or folder stands in their place. */
  hidden: readonly SandboxPathRule[];
  /** Workspace paths the command sees but cannot change (repository internals). */
  readOnly: readonly SandboxPathRule[];
  /** Tool caches: a throw-away layer on Linux, read-only on macOS. */
  caches: readonly string[];
  /** Hosts reachable through the proxy; empty means no network at all. */
  allowedDomains: readonly DomainPattern[];
  /** `.git` folders: read-only, or hidden when git tracks a denied file (its objects hold the secret). */
  repositoryInternals: 'read-only' | 'hidden';
  /** Settings problems (an invalid domain entry), reported and never widened. */
  problems: readonly string[];
}

export type SandboxSpecResult = { ok: true; spec: SandboxSpec } | { ok: false; reason: string };

const GIT_RULE = '.git/**';
/** A name no deny rule targets: if the rule that denies a folder also denies this child, it covers the folder. */
const PROBE_CHILD = 'warden-sandbox-probe';

function isInside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
}

/**
 * The topmost folder above `file` (inside its workspace folder) that the read policy denies as a whole —
 * `.git`, `.ssh`, a folder matching a deny glob — so one mount hides it instead of one per file.
 */
function coveringFolder(
  file: string,
  folder: string,
  policy: Pick<Policy, 'decidePath'>,
  covers: Map<string, string | undefined>,
): string | undefined {
  const chain: string[] = [];
  for (let dir = posix.dirname(file); dir !== folder && isInside(dir, folder); dir = posix.dirname(dir)) {
    chain.unshift(dir);
  }
  for (const dir of chain) {
    let rule = covers.get(dir);
    if (!covers.has(dir)) {
      const own = policy.decidePath('read', dir);
      const child = policy.decidePath('read', `${dir}/${PROBE_CHILD}`);
      const denied = own.decision === 'deny' && child.decision === 'deny';
      rule = denied && own.rule === child.rule && own.source === child.source && own.relative ? own.rule : undefined;
      covers.set(dir, rule);
    }
    if (rule !== undefined) return dir;
  }
  return undefined;
}

export function buildSandboxSpec(input: SandboxSpecInput): SandboxSpecResult {
  if (input.workspaceFolders.length === 0) return { ok: false, reason: 'No workspace folder is open.' };
  if (input.deniedFiles === undefined) {
    return {
      ok: false,
      reason: 'The denied files of the workspace are not listed yet, so the sandbox cannot hide them.',
    };
  }
  const folders = input.workspaceFolders.map((f) => posix.normalize(f).replace(/(.)\/$/, '$1'));
  const home = posix.normalize(input.homeDir).replace(/(.)\/$/, '$1');
  const repositoryInternals =
    input.trackedDeniedFiles === undefined || input.trackedDeniedFiles.length > 0 ? 'hidden' : 'read-only';

  const hidden = new Map<string, string>();
  const readOnly = new Map<string, string>();
  const covers = new Map<string, string | undefined>();
  for (const file of input.deniedFiles) {
    const folder = folders.find((f) => isInside(file, f));
    if (folder === undefined || file === folder) continue;
    const cover = coveringFolder(file, folder, input.policy, covers);
    const path = cover ?? file;
    if (hidden.has(path) || readOnly.has(path)) continue;
    const rule = cover !== undefined ? (covers.get(cover) as string) : input.policy.decidePath('read', file).rule;
    const isGit = rule === GIT_RULE;
    if (isGit && repositoryInternals === 'read-only') readOnly.set(path, `repository internals (rule \`${rule}\`)`);
    else hidden.set(path, `denied by the read policy (rule \`${rule}\`)`);
  }
  // A file inside a hidden folder needs no mount of its own.
  for (const path of [...hidden.keys()]) {
    for (let dir = posix.dirname(path); dir !== '/' && dir !== '.'; dir = posix.dirname(dir)) {
      if (hidden.has(dir)) {
        hidden.delete(path);
        break;
      }
    }
  }

  for (const entry of credentialStores(input.platform)) hidden.set(`${home}/${entry.path}`, entry.what);
  for (const path of serviceSocketFolders(input.platform)) hidden.set(path, 'host service sockets');
  for (const path of input.extraHiddenPaths ?? []) hidden.set(posix.normalize(path), 'Warden storage');
  // Hiding a folder that holds a workspace folder would hide the workspace itself.
  for (const path of [...hidden.keys()]) {
    if (folders.some((f) => isInside(f, path))) hidden.delete(path);
  }

  // A cache inside a workspace folder is part of that folder's view; one holding a folder cannot be a layer.
  const caches = toolCaches(input.platform)
    .map((entry) => `${home}/${entry.path}`)
    .filter((cache) => !folders.some((f) => isInside(cache, f) || isInside(f, cache)));

  const domains = parseAllowedDomains(input.allowedDomains);
  const rules = (map: Map<string, string>): SandboxPathRule[] =>
    [...map].map(([path, reason]) => ({ path, reason })).sort((a, b) => a.path.localeCompare(b.path));
  return {
    ok: true,
    spec: {
      mode: input.mode,
      platform: input.platform,
      workspaceFolders: folders,
      homeDir: home,
      hidden: rules(hidden),
      readOnly: rules(readOnly),
      caches,
      allowedDomains: domains.patterns,
      repositoryInternals,
      problems: domains.problems.map((p) => `warden.sandbox.network.allowedDomains: ${p}`),
    },
  };
}
