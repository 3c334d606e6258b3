// Servers a repository defines (`.vscode/mcp.json`, `.mcp.json`, workspace values of `warden.mcp.servers`)
// are never started on their own: a cloned repository would otherwise run any program it likes the moment
// the agent needs tools. They become entries awaiting the user's approval, which is remembered for that
// exact definition (its hash) and asked again when the definition changes.
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser/lib/esm/main.js';
import { parseServerMap, type McpConfigProblem, type McpServerDefinition } from './serverConfig';
import { definitionHash } from './serverLaunch';

export type RepositoryConfigSource = '.vscode/mcp.json' | '.mcp.json' | 'workspace settings';

/** The files a repository may define servers in, relative to each workspace folder, with the key they use. */
export const REPOSITORY_CONFIG_FILES: ReadonlyArray<{ path: '.vscode/mcp.json' | '.mcp.json'; key: string }> = [
  { path: '.vscode/mcp.json', key: 'servers' },
  { path: '.mcp.json', key: 'mcpServers' },
];

export interface RepositoryConfigFile {
  /** The workspace folder the file is in. */
  folder: string;
  path: '.vscode/mcp.json' | '.mcp.json';
  text: string;
}

export interface RepositoryServer {
  definition: McpServerDefinition;
  source: RepositoryConfigSource;
  /** The workspace folder of the file, for files. */
  folder?: string;
  /** What an approval is stored under: one per source and server name. */
  approvalKey: string;
  hash: string;
  /**
   * approved: this exact definition was approved; awaiting: never approved; changed: an earlier version was
   * approved, this one was not (shown as a change, asked again).
   */
  approval: 'approved' | 'awaiting' | 'changed';
}

export interface RepositoryProblem extends McpConfigProblem {
  source: RepositoryConfigSource;
  folder?: string;
}

/** Approved definitions: approval key → hash of the definition the user approved. */
export type ServerApprovals = ReadonlyMap<string, string>;

export function approvalKey(source: RepositoryConfigSource, folder: string | undefined, name: string): string {
  return JSON.stringify([source, folder ?? '', name]);
}

function parseFile(file: RepositoryConfigFile): { raw: unknown; problem?: string } {
  const errors: ParseError[] = [];
  const parsed: unknown = parseJsonc(file.text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    const first = errors[0];
    return {
      raw: undefined,
      problem: `not valid JSON (${printParseErrorCode(first.error)} at offset ${first.offset})`,
    };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return { raw: undefined, problem: 'expected a JSON object' };
  const key = REPOSITORY_CONFIG_FILES.find((f) => f.path === file.path)!.key;
  return { raw: (parsed as Record<string, unknown>)[key] };
}

export interface RepositoryServerInput {
  files: readonly RepositoryConfigFile[];
  /** Definitions from workspace or folder values of `warden.mcp.servers` (see `mergeSettings`). */
  workspaceSettingServers: readonly McpServerDefinition[];
  /** Names of the user's own servers: they win over a repository entry of the same name. */
  userServerNames: ReadonlySet<string>;
  approvals: ServerApprovals;
}

/** Every server a repository defines, with its approval state. Nothing here starts anything. */
export function repositoryServers(input: RepositoryServerInput): {
  servers: RepositoryServer[];
  problems: RepositoryProblem[];
} {
  const servers: RepositoryServer[] = [];
  const problems: RepositoryProblem[] = [];
  const names = new Set<string>();
  const add = (definition: McpServerDefinition, source: RepositoryConfigSource, folder: string | undefined) => {
    const where = { source, ...(folder === undefined ? {} : { folder }) };
    if (input.userServerNames.has(definition.name)) {
      problems.push({
        ...where,
        server: definition.name,
        message: 'a server of this name is in your user settings; the repository entry is not used.',
      });
      return;
    }
    // One name, one server: tool names (`mcp__<server>__<tool>`) and auto-approve entries depend on it.
    if (names.has(definition.name)) {
      problems.push({
        ...where,
        server: definition.name,
        message: 'another repository file already defines a server of this name; this entry is not used.',
      });
      return;
    }
    names.add(definition.name);
    const key = approvalKey(source, folder, definition.name);
    const hash = definitionHash(definition);
    const approved = input.approvals.get(key);
    servers.push({
      definition,
      ...where,
      approvalKey: key,
      hash,
      approval: approved === hash ? 'approved' : approved === undefined ? 'awaiting' : 'changed',
    });
  };

  for (const definition of input.workspaceSettingServers) add(definition, 'workspace settings', undefined);
  for (const file of input.files) {
    const { raw, problem } = parseFile(file);
    if (problem !== undefined) {
      problems.push({ source: file.path, folder: file.folder, message: `${problem}; no server from it is used.` });
      continue;
    }
    const parsed = parseServerMap(raw);
    for (const p of parsed.problems) problems.push({ ...p, source: file.path, folder: file.folder });
    for (const definition of parsed.servers) add(definition, file.path, file.folder);
  }
  return { servers, problems };
}

/**
 * The servers that may start: the user's own, and repository servers whose exact definition the user
 * approved — and none at all in an untrusted workspace, where the agent gets no tools.
 */
export function startableServers(
  userServers: readonly McpServerDefinition[],
  repository: readonly RepositoryServer[],
  trusted: boolean,
): McpServerDefinition[] {
  if (!trusted) return [];
  return [...userServers, ...repository.filter((s) => s.approval === 'approved').map((s) => s.definition)];
}

/** Servers the UI should list for a decision: never approved, or changed since the approval. */
export function serversAwaitingApproval(repository: readonly RepositoryServer[]): RepositoryServer[] {
  return repository.filter((s) => s.approval !== 'approved');
}
