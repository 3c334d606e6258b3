// From a definition to what actually starts: `${secret:NAME}`, `${workspaceFolder}` and `${userHome}` are
// resolved through a port at start time, so a secret lives in SecretStorage and in the server's own
// environment or request headers, and nowhere else. Descriptions for logs and cards never carry a value
// that came from a secret.
import { createHash } from 'node:crypto';
import { isRiskyVariable } from '../policy/commands';
import { canonicalJson } from '../policy/limits';
import { redactSecrets } from '../policy/redaction';
import { variablesIn, type McpServerDefinition } from './serverConfig';

export interface McpVariablePort {
  /** The secret stored under `name` ("Warden: Set MCP Secret"), or undefined when there is none. */
  secret(name: string): Promise<string | undefined>;
  /** The first workspace folder's path, or undefined in an empty window. */
  workspaceFolder(): string | undefined;
  userHome(): string;
}

export interface StdioLaunch {
  type: 'stdio';
  name: string;
  command: string;
  args: string[];
  /** Only the server's own variables; the Node layer adds the scrubbed base environment. */
  env: Record<string, string>;
  cwd: string;
}

export interface HttpLaunch {
  type: 'http' | 'sse';
  name: string;
  url: string;
  headers: Record<string, string>;
}

export type McpLaunch = StdioLaunch | HttpLaunch;

export type LaunchResolution = { ok: true; launch: McpLaunch } | { ok: false; message: string };

class MissingValue extends Error {}

async function substitute(text: string, vars: McpVariablePort): Promise<string> {
  const parsed = variablesIn(text);
  // The definition was parsed already; an unknown variable here is a bug, and a bug must not start anything.
  if (!parsed.ok) throw new MissingValue(parsed.message);
  const values = new Map<string, string>();
  for (const ref of parsed.references) {
    let value: string | undefined;
    if (ref.kind === 'secret') {
      value = await vars.secret(ref.argument);
      if (value === undefined)
        throw new MissingValue(`the secret "${ref.argument}" is not set (run "Warden: Set MCP Secret")`);
    } else if (ref.kind === 'workspaceFolder') {
      value = vars.workspaceFolder();
      if (value === undefined) throw new MissingValue('`${workspaceFolder}` is used, but no folder is open');
    } else {
      value = vars.userHome();
    }
    values.set(ref.text, value);
  }
  // One pass over the original text: a value that itself looks like `${…}` is never expanded again.
  return text.replace(/\$\{[^}]*\}/g, (whole) => values.get(whole) ?? whole);
}

async function substituteMap(map: Record<string, string>, vars: McpVariablePort): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(map)) out[key] = await substitute(value, vars);
  return out;
}

/** What to start for a definition, or why it cannot start (a missing secret, no folder for `${workspaceFolder}`). */
export async function resolveLaunch(server: McpServerDefinition, vars: McpVariablePort): Promise<LaunchResolution> {
  try {
    if (server.type === 'stdio') {
      const args: string[] = [];
      for (const arg of server.args) args.push(await substitute(arg, vars));
      // Like VS Code: a relative or missing cwd means the workspace folder, else the home directory.
      const base = vars.workspaceFolder() ?? vars.userHome();
      const cwd = server.cwd === undefined ? base : await substitute(server.cwd, vars);
      return {
        ok: true,
        launch: {
          type: 'stdio',
          name: server.name,
          command: await substitute(server.command, vars),
          args,
          env: await substituteMap(server.env, vars),
          cwd: isAbsolutePath(cwd) ? cwd : joinPath(base, cwd),
        },
      };
    }
    return {
      ok: true,
      launch: {
        type: server.type,
        name: server.name,
        url: server.url,
        headers: await substituteMap(server.headers, vars),
      },
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `MCP server "${server.name}" cannot start: ${message}.` };
  }
}

function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
}

function joinPath(base: string, relative: string): string {
  const separator = base.includes('\\') && !base.includes('/') ? '\\' : '/';
  return base.endsWith(separator) ? `${base}${relative}` : `${base}${separator}${relative}`;
}

function quoteArgument(arg: string): string {
  return arg !== '' && /^[A-Za-z0-9_@%+=:,./${}-]+$/.test(arg) ? arg : JSON.stringify(arg);
}

/**
 * One line for the output channel and the audit log: the command line or URL with secret-looking text
 * redacted, and only the *names* of environment variables and headers.
 */
export function describeServer(server: McpServerDefinition): string {
  if (server.type === 'stdio') {
    const commandLine = [server.command, ...server.args].map(quoteArgument).join(' ');
    const env = Object.keys(server.env);
    return redactSecrets(
      `${server.name} (stdio): ${commandLine}` +
        (server.cwd === undefined ? '' : `; cwd ${server.cwd}`) +
        (env.length === 0 ? '' : `; env ${env.join(', ')}`),
    );
  }
  const headers = Object.keys(server.headers);
  return redactSecrets(
    `${server.name} (${server.type}): ${server.url}` + (headers.length === 0 ? '' : `; headers ${headers.join(', ')}`),
  );
}

/** What the approval of a repository-defined server shows: exactly what would run, with warnings. */
export interface ServerApprovalView {
  name: string;
  type: McpServerDefinition['type'];
  /** The command line (stdio) or the URL (http/sse), exactly as written, secret-looking text redacted. */
  target: string;
  cwd?: string;
  /** `NAME=value` as written (a `${secret:…}` reference stays a reference); secret-looking values redacted. */
  environment: string[];
  headers: string[];
  /** Variables such as `NODE_OPTIONS` or `LD_PRELOAD` that change what a program loads or runs. */
  warnings: string[];
}

/** The `${secret:…}` names a definition hands to the server. */
export function secretNames(server: McpServerDefinition): string[] {
  const values = Object.values(server.type === 'stdio' ? server.env : server.headers);
  const names = new Set<string>();
  for (const value of values) {
    const parsed = variablesIn(value);
    if (parsed.ok) for (const ref of parsed.references) if (ref.kind === 'secret') names.add(ref.argument);
  }
  return [...names].sort();
}

function secretWarnings(server: McpServerDefinition): string[] {
  const to = server.type === 'stdio' ? 'this program' : hostOf(server.url);
  return secretNames(server).map((name) => `gives your secret "${name}" to ${to}`);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export function approvalView(server: McpServerDefinition): ServerApprovalView {
  if (server.type === 'stdio') {
    const risky = Object.keys(server.env).filter((name) => isRiskyVariable(name));
    return {
      name: server.name,
      type: server.type,
      target: redactSecrets([server.command, ...server.args].map(quoteArgument).join(' ')),
      ...(server.cwd === undefined ? {} : { cwd: server.cwd }),
      environment: Object.entries(server.env).map(([k, v]) => redactSecrets(`${k}=${v}`)),
      headers: [],
      warnings: [
        ...risky.map((name) => `sets ${name}, which changes what a program loads or runs`),
        ...secretWarnings(server),
      ],
    };
  }
  return {
    name: server.name,
    type: server.type,
    target: redactSecrets(server.url),
    environment: [],
    headers: Object.entries(server.headers).map(([k, v]) => redactSecrets(`${k}: ${v}`)),
    warnings: secretWarnings(server),
  };
}

/**
 * The fingerprint an approval of a repository-defined server is remembered by. Everything a repository
 * controls is in it — command, args, cwd, env names *and values as written* (a changed `NODE_OPTIONS` must
 * be asked again), url, header names and values as written. Values are hashed before `${secret:…}`
 * resolution, so no secret ever reaches the stored hash.
 */
export function definitionHash(server: McpServerDefinition): string {
  const canonical =
    server.type === 'stdio'
      ? { type: 'stdio', command: server.command, args: server.args, env: server.env, cwd: server.cwd ?? null }
      : { type: server.type, url: server.url, headers: lowerCaseKeys(server.headers) };
  return createHash('sha256').update(canonicalJson(canonical)).digest('hex');
}

function lowerCaseKeys(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k.toLowerCase(), v]));
}
