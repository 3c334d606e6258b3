// MCP server definitions in the shape of VS Code's `mcp.json` entries, so users can paste what they have:
// `{ "<name>": { "type": "stdio", "command", "args", "env", "cwd" } }` or `{ "type": "http", "url", "headers" }`.
// Parsing is strict and never throws: an entry that cannot be used exactly as written is dropped and
// reported, because a half-understood server definition could start something the user did not mean.

export interface StdioServerDefinition {
  name: string;
  type: 'stdio';
  command: string;
  args: string[];
  /** Variables the server gets on top of the scrubbed environment; values may hold `${secret:NAME}`. */
  env: Record<string, string>;
  cwd?: string;
}

export interface HttpServerDefinition {
  name: string;
  /** `http`: Streamable HTTP, falling back to the older SSE transport; `sse`: the SSE transport only. */
  type: 'http' | 'sse';
  url: string;
  /** Values may hold `${secret:NAME}`. */
  headers: Record<string, string>;
}

export type McpServerDefinition = StdioServerDefinition | HttpServerDefinition;

export interface McpConfigProblem {
  /** The server entry concerned, when there is one. */
  server?: string;
  message: string;
}

export interface ParsedServers {
  servers: McpServerDefinition[];
  problems: McpConfigProblem[];
}

/** Where a string field sits decides which `${…}` variables it may use. */
type FieldKind = 'command' | 'arg' | 'cwd' | 'env' | 'url' | 'header';

export type VariableKind = 'secret' | 'workspaceFolder' | 'userHome';

/** Secrets are for credentials only; paths may use the workspace folder and the home directory. */
const VARIABLES_ALLOWED: Readonly<Record<FieldKind, readonly VariableKind[]>> = {
  command: ['workspaceFolder', 'userHome'],
  arg: ['workspaceFolder', 'userHome'],
  cwd: ['workspaceFolder', 'userHome'],
  env: ['secret', 'workspaceFolder', 'userHome'],
  url: [],
  header: ['secret'],
};

export const SERVER_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,47}$/;
export const SECRET_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,100}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
// RFC 9110 token characters.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const VARIABLE = /\$\{([^}]*)\}/g;
const MAX_STRING = 8192;
const MAX_ARGS = 256;
const MAX_ENTRIES = 128;

const KNOWN_KEYS: Readonly<Record<'stdio' | 'http', readonly string[]>> = {
  stdio: ['type', 'command', 'args', 'env', 'cwd'],
  http: ['type', 'url', 'headers'],
};

export interface VariableReference {
  kind: VariableKind;
  /** The secret's name for `secret`; '' otherwise. */
  argument: string;
  /** The whole `${…}` text. */
  text: string;
}

/** The `${…}` references in a string, or the problem with the first one that is not understood. */
export function variablesIn(
  text: string,
): { ok: true; references: VariableReference[] } | { ok: false; message: string } {
  const references: VariableReference[] = [];
  for (const match of text.matchAll(VARIABLE)) {
    const body = match[1];
    if (body === 'workspaceFolder' || body === 'userHome') {
      references.push({ kind: body, argument: '', text: match[0] });
      continue;
    }
    const secret = /^secret:(.*)$/.exec(body);
    if (secret !== null && SECRET_NAME_PATTERN.test(secret[1])) {
      references.push({ kind: 'secret', argument: secret[1], text: match[0] });
      continue;
    }
    if (secret !== null)
      return { ok: false, message: `\`${match[0]}\` is not a valid secret name (letters, digits, \`_.-\`)` };
    return {
      ok: false,
      message:
        `\`${match[0]}\` is not a variable Warden substitutes (it knows \`\${secret:NAME}\`, set with "Warden: Set ` +
        `MCP Secret", \`\${workspaceFolder}\` and \`\${userHome}\`)`,
    };
  }
  return { ok: true, references };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return `a ${typeof value}`;
}

class EntryParser {
  readonly problems: McpConfigProblem[] = [];
  private failed = false;

  constructor(private readonly name: string) {}

  fail(message: string): undefined {
    this.failed = true;
    this.problems.push({ server: this.name, message: `${message}; the server is not used.` });
    return undefined;
  }

  note(message: string): void {
    this.problems.push({ server: this.name, message });
  }

  get ok(): boolean {
    return !this.failed;
  }

  string(value: unknown, what: string, kind: FieldKind, allowEmpty = false): string | undefined {
    if (typeof value !== 'string') return this.fail(`${what} must be a string, not ${describe(value)}`);
    if (!allowEmpty && value.trim() === '') return this.fail(`${what} is empty`);
    if (value.length > MAX_STRING) return this.fail(`${what} is longer than ${MAX_STRING} characters`);
    if (CONTROL_CHARS.test(value)) return this.fail(`${what} contains a control character`);
    const variables = variablesIn(value);
    if (!variables.ok) return this.fail(`${what}: ${variables.message}`);
    const allowed = VARIABLES_ALLOWED[kind];
    const misplaced = variables.references.find((ref) => !allowed.includes(ref.kind));
    if (misplaced !== undefined) {
      const where = allowed.length === 0 ? 'no variables' : allowed.map((k) => `\`\${${k}…}\``).join(', ');
      return this.fail(`${what}: \`${misplaced.text}\` cannot be used here (${what} may hold ${where})`);
    }
    return value;
  }

  stringMap(value: unknown, what: string, kind: 'env' | 'header'): Record<string, string> | undefined {
    if (value === undefined) return {};
    if (!isPlainObject(value)) return this.fail(`\`${what}\` must be an object of strings, not ${describe(value)}`);
    const entries = Object.entries(value);
    if (entries.length > MAX_ENTRIES) return this.fail(`\`${what}\` has more than ${MAX_ENTRIES} entries`);
    const out: Record<string, string> = {};
    const seen = new Set<string>();
    for (const [key, item] of entries) {
      const pattern = kind === 'env' ? ENV_NAME : HEADER_NAME;
      if (!pattern.test(key)) return this.fail(`\`${what}\` has an invalid name ${JSON.stringify(key)}`);
      // Header names are case-insensitive: two spellings of one header would make the request ambiguous.
      const folded = kind === 'header' ? key.toLowerCase() : key;
      if (seen.has(folded)) return this.fail(`\`${what}\` names ${JSON.stringify(key)} twice`);
      seen.add(folded);
      const text = this.string(item, `\`${what}.${key}\``, kind, true);
      if (text === undefined) return undefined;
      out[key] = text;
    }
    return out;
  }
}

function urlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return '`url` is not a URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `\`url\` must be http(s), not ${url.protocol.replace(/:$/, '')}`;
  // Credentials in the URL would end up in logs and error messages; they belong in `headers` as secrets.
  if (url.username !== '' || url.password !== '')
    return '`url` must not contain a user name or password (use a header with `${secret:NAME}`)';
  return undefined;
}

function inferType(entry: Record<string, unknown>): string | undefined {
  if (typeof entry.type === 'string') return entry.type;
  if (entry.type !== undefined) return undefined;
  if (entry.command !== undefined && entry.url === undefined) return 'stdio';
  if (entry.url !== undefined && entry.command === undefined) return 'http';
  return undefined;
}

function parseEntry(name: string, raw: unknown): { server?: McpServerDefinition; problems: McpConfigProblem[] } {
  const p = new EntryParser(name);
  if (!SERVER_NAME_PATTERN.test(name) || name.includes('__')) {
    p.fail(
      `the name ${JSON.stringify(name)} is not usable: 1–48 letters, digits and \`_.-\`, starting with a letter or ` +
        'digit, without `__` (it separates server and tool in `mcp__<server>__<tool>`)',
    );
    return { problems: p.problems };
  }
  if (!isPlainObject(raw)) {
    p.fail(`the entry must be an object, not ${describe(raw)}`);
    return { problems: p.problems };
  }
  const type = inferType(raw);
  if (type !== 'stdio' && type !== 'http' && type !== 'sse') {
    p.fail(
      type === undefined
        ? 'it needs `"type": "stdio"` with a `command`, or `"type": "http"` with a `url`'
        : `\`type\` ${describe(type)} is not supported (stdio, http or sse)`,
    );
    return { problems: p.problems };
  }
  const known = KNOWN_KEYS[type === 'stdio' ? 'stdio' : 'http'];
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) p.note(`\`${key}\` is not supported for a ${type} server; it is ignored.`);
  }
  let server: McpServerDefinition | undefined;
  if (type === 'stdio') {
    const command = p.string(raw.command, '`command`', 'command');
    let args: string[] = [];
    if (raw.args !== undefined) {
      if (!Array.isArray(raw.args)) p.fail(`\`args\` must be a list of strings, not ${describe(raw.args)}`);
      else if (raw.args.length > MAX_ARGS) p.fail(`\`args\` has more than ${MAX_ARGS} items`);
      else args = raw.args.map((arg, i) => p.string(arg, `\`args[${i}]\``, 'arg', true) ?? '');
    }
    const env = p.stringMap(raw.env, 'env', 'env');
    const cwd = raw.cwd === undefined ? undefined : p.string(raw.cwd, '`cwd`', 'cwd');
    if (p.ok && command !== undefined && env !== undefined) {
      server = { name, type, command, args, env, ...(cwd === undefined ? {} : { cwd }) };
    }
  } else {
    const url = p.string(raw.url, '`url`', 'url');
    const problem = url === undefined ? undefined : urlProblem(url);
    if (problem !== undefined) p.fail(problem);
    const headers = p.stringMap(raw.headers, 'headers', 'header');
    if (p.ok && url !== undefined && headers !== undefined) server = { name, type, url, headers };
  }
  return { ...(server === undefined ? {} : { server }), problems: p.problems };
}

/** Parses a `{ "<name>": { … } }` map of server entries. Invalid entries are dropped and reported. */
export function parseServerMap(raw: unknown): ParsedServers {
  const servers: McpServerDefinition[] = [];
  const problems: McpConfigProblem[] = [];
  if (raw === undefined || raw === null) return { servers, problems };
  if (!isPlainObject(raw)) {
    problems.push({ message: `expected an object of named servers, got ${describe(raw)}; no server is used.` });
    return { servers, problems };
  }
  for (const [name, entry] of Object.entries(raw)) {
    const parsed = parseEntry(name, entry);
    problems.push(...parsed.problems);
    if (parsed.server !== undefined) servers.push(parsed.server);
  }
  return { servers, problems };
}

/** The names of the variables a definition sets, for logs: values (possibly secrets) are never shown there. */
export function environmentNames(server: McpServerDefinition): string[] {
  return server.type === 'stdio' ? Object.keys(server.env).sort() : Object.keys(server.headers).sort();
}
