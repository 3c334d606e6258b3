// The user's decisions about servers a repository defines: which await approval (with exactly what would
// run), approving one — only from a trusted workspace, and only the definition that was shown — and reading
// the stored approvals back from storage, which is not trusted.
import {
  serversAwaitingApproval,
  type RepositoryConfigSource,
  type RepositoryServer,
  type ServerApprovals,
} from './repositoryServers';
import { approvalView, type ServerApprovalView } from './serverLaunch';

export interface AwaitingServer {
  /** What the approval is stored under (source, folder, name). */
  key: string;
  /** The definition shown; approving sends it back, so a definition changed meanwhile is not approved. */
  hash: string;
  source: RepositoryConfigSource;
  folder?: string;
  /** An earlier definition was approved; this one is new. */
  changed: boolean;
  /** The user chose "Not Now" for this definition: listed, not pressed on them again. */
  dismissed: boolean;
  view: ServerApprovalView;
}

export type ApprovalChange = { ok: true; approvals: Map<string, string> } | { ok: false; message: string };

/** Repository servers waiting for a decision, with the command line or URL they would start. */
export function awaitingServers(
  repository: readonly RepositoryServer[],
  dismissed: ServerApprovals = new Map(),
): AwaitingServer[] {
  return serversAwaitingApproval(repository).map((server) => ({
    key: server.approvalKey,
    hash: server.hash,
    source: server.source,
    ...(server.folder === undefined ? {} : { folder: server.folder }),
    changed: server.approval === 'changed',
    dismissed: dismissed.get(server.approvalKey) === server.hash,
    view: approvalView(server.definition),
  }));
}

/**
 * Approves the definition the user was shown. Refused in an untrusted workspace (a repository's server may
 * start only where the user trusts the repository), for a server no longer defined, and for one whose
 * definition changed since it was shown.
 */
export function approveServer(
  repository: readonly RepositoryServer[],
  approvals: ServerApprovals,
  key: string,
  hash: string,
  trusted: boolean,
): ApprovalChange {
  if (!trusted)
    return {
      ok: false,
      message: 'This workspace is not trusted: trust it first, then approve the repository’s MCP server.',
    };
  const server = repository.find((s) => s.approvalKey === key);
  if (server === undefined) return { ok: false, message: 'The repository no longer defines this MCP server.' };
  if (server.hash !== hash)
    return {
      ok: false,
      message: `The definition of "${server.definition.name}" changed since it was shown; look at it again.`,
    };
  return { ok: true, approvals: new Map(approvals).set(key, hash) };
}

/** Forgets an approval: the server stops and waits for a decision again. */
export function revokeServer(approvals: ServerApprovals, key: string): Map<string, string> {
  const next = new Map(approvals);
  next.delete(key);
  return next;
}

/** Approvals as stored (key → hash); anything that is not a string map of hashes is dropped. */
export function readApprovals(value: unknown): Map<string, string> {
  const approvals = new Map<string, string>();
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return approvals;
  for (const [key, hash] of Object.entries(value as Record<string, unknown>))
    if (typeof hash === 'string' && /^[0-9a-f]{64}$/.test(hash)) approvals.set(key, hash);
  return approvals;
}

export function storedApprovals(approvals: ServerApprovals): Record<string, string> {
  return Object.fromEntries(approvals);
}
