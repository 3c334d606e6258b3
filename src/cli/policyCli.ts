// warden policy checker: prints the decision Warden would make for a command or a path, from the same
// settings files VS Code reads. Bundled to dist/policy-cli.js (`npm run build`).
//
//   node dist/policy-cli.js --root DIR [--root DIR2] [--settings user.json] [--workspace-settings s.json] command "git
// status; rm -rf ~"
//   node dist/policy-cli.js --root DIR path write src/a.ts
//   node dist/policy-cli.js --root DIR --jsonl < requests.jsonl
//   node dist/policy-cli.js verify-audit [--json] [--last-hash HEX] audit.jsonl
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
// The ESM build: esbuild cannot follow the UMD build's inner `require('./impl/…')` calls.
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser/lib/esm/main.js';
import manifest from '../../package.json';
import { loadBashGrammar, type BashParser } from '../core/policy/bashGrammar';
import { createPolicy } from '../core/policy/createPolicy';
import type { Decision, FileOperation } from '../core/policy/decision';
import type { Policy, PolicyEnvironment, ScopedSetting, SettingsSnapshot } from '../core/policy/policy';
import { mergeSettings } from '../core/policy/settingsMerge';
import { deniedAmongTracked, walkDeniedFiles, type WalkResult } from '../node/deniedFileWalk';
import { canonicalFolder } from '../node/fileSystemView';
import { listTrackedFilesSync } from '../node/gitTrackedFiles';
import { homeCredentialPaths } from '../node/hardLinks';
import { nodePolicyEnvironment } from '../node/policyEnvironment';
import { runToEnd } from '../node/walkDrivers';
import { VERIFY_AUDIT_HELP, VERIFY_AUDIT_USAGE, verifyAuditCli } from './verifyAudit';

export const USAGE = `Usage: policy-cli [options] command "<shell command>"
       policy-cli [options] path <read|write> <path>
       policy-cli [options] --jsonl            (requests on stdin, one JSON object per line)
       ${VERIFY_AUDIT_USAGE}

Prints Warden's decision as JSON. Exit code 0 whatever the decision; 2 on a usage error.

Options:
  --root DIR                 a workspace folder (repeatable; default: the current directory)
  --settings FILE            user settings.json (VS Code format: comments and trailing commas allowed)
  --workspace-settings FILE  the workspace's .vscode/settings.json
  --cwd DIR                  working directory of the command (default: the first --root)
  --jsonl                    read {"command": "...", "cwd"?: "..."} or {"path": "...", "op": "read"|"write"}
                             lines from stdin and print one decision per line, in order
  -h, --help                 show this text

${VERIFY_AUDIT_HELP}`;

export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

class UsageError extends Error {}

interface Options {
  roots: string[];
  userSettings?: string;
  workspaceSettings?: string;
  cwd?: string;
  jsonl: boolean;
  help: boolean;
  positional: string[];
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { roots: [], jsonl: false, help: false, positional: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    if (options.positional.length > 0) {
      options.positional.push(arg);
      continue;
    }
    switch (arg) {
      case '--root':
        options.roots.push(value());
        break;
      case '--settings':
        options.userSettings = value();
        break;
      case '--workspace-settings':
        options.workspaceSettings = value();
        break;
      case '--cwd':
        options.cwd = value();
        break;
      case '--jsonl':
        options.jsonl = true;
        break;
      case '-h':
      case '--help':
        options.help = true;
        break;
      default:
        if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
        options.positional.push(arg);
    }
  }
  return options;
}

type ManifestProperty = { default?: unknown };

/** Defaults from package.json, as VS Code's `inspect()` would report them. */
function manifestDefaults(): Map<string, unknown> {
  const properties = (manifest.contributes.configuration.properties ?? {}) as Record<string, ManifestProperty>;
  const defaults = new Map<string, unknown>();
  for (const [key, property] of Object.entries(properties)) {
    if (key.startsWith('warden.')) defaults.set(key.slice('warden.'.length), property.default);
  }
  return defaults;
}

/** The `warden.*` values of a VS Code settings.json; problems go to stderr. */
function readSettingsFile(file: string, io: CliIo): Record<string, unknown> {
  if (!existsSync(file)) throw new UsageError(`settings file not found: ${file}`);
  const errors: ParseError[] = [];
  const parsed: unknown = parseJsonc(readFileSync(file, 'utf8'), errors, {
    allowTrailingComma: true,
    disallowComments: false,
  });
  for (const error of errors)
    io.stderr.write(`${file}: ${printParseErrorCode(error.error)} at offset ${error.offset}\n`);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    io.stderr.write(`${file}: not a JSON object; ignored\n`);
    return {};
  }
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (key.startsWith('warden.')) values[key.slice('warden.'.length)] = value;
  }
  return values;
}

export function buildSnapshot(user: Record<string, unknown>, workspace: Record<string, unknown>): SettingsSnapshot {
  const snapshot: Record<string, ScopedSetting> = {};
  const defaults = manifestDefaults();
  for (const key of new Set([...defaults.keys(), ...Object.keys(user), ...Object.keys(workspace)])) {
    const setting: ScopedSetting = { defaultValue: defaults.get(key) };
    if (key in user) setting.globalValue = user[key];
    if (key in workspace) setting.workspaceValue = workspace[key];
    snapshot[key] = setting;
  }
  return snapshot;
}

/**
 * The policy's environment, from the same Node host layer as the extension's. The denied-file lists are made
 * once, when a decision first needs them, and synchronously: the policy decides inside a synchronous call.
 */
function environment(roots: readonly string[], policy: () => Policy): PolicyEnvironment {
  let walked: { result: WalkResult | undefined } | undefined;
  let walking = false;
  let tracked: { files: string[] | undefined } | undefined;
  const walk = (): WalkResult | undefined => {
    // Judging a symlink during the walk may ask about hard links: those are unknown until the walk ends.
    if (walked === undefined && walking) return undefined;
    walking = true;
    return (walked ??= {
      result: runToEnd(walkDeniedFiles(roots, policy(), undefined, undefined, homeCredentialPaths())),
    }).result;
  };
  const trackedFiles = (): string[] | undefined => {
    const result = walk();
    if (result === undefined) return undefined;
    const lists = roots.map(listTrackedFilesSync);
    return runToEnd(deniedAmongTracked(lists, policy(), new Set(result.linked)));
  };
  return nodePolicyEnvironment(roots, {
    deniedFiles: () => walk()?.found,
    trackedDeniedFiles: () => (tracked ??= { files: trackedFiles() }).files,
    deniedIdentities: () => walk()?.identities,
  });
}

/** The wasm files next to this script (dist/), else the installed packages. */
function readGrammarFile(name: string, packagePath: string): Uint8Array {
  const beside = path.join(__dirname, name);
  if (existsSync(beside)) return readFileSync(beside);
  return readFileSync(require.resolve(packagePath));
}

async function loadParser(io: CliIo): Promise<BashParser | undefined> {
  try {
    return await loadBashGrammar({
      treeSitter: readGrammarFile('tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm'),
      bash: readGrammarFile('tree-sitter-bash.wasm', 'tree-sitter-bash/tree-sitter-bash.wasm'),
    });
  } catch (error) {
    io.stderr.write(
      `warning: the bash grammar could not be loaded (${error instanceof Error ? error.message : String(error)}); ` +
        `every command will be "ask"\n`,
    );
    return undefined;
  }
}

function invalid(reason: string, extra: Record<string, unknown> = {}): Decision & Record<string, unknown> {
  return { decision: 'deny', rule: 'invalid-request', source: 'built-in', reason, ...extra };
}

function isOperation(op: unknown): op is FileOperation {
  return op === 'read' || op === 'write';
}

/** One JSONL request → one decision; anything malformed is a deny line, never an abort. */
function decideRequest(policy: Policy, line: string, defaultCwd: string): unknown {
  let request: unknown;
  try {
    request = JSON.parse(line);
  } catch (error) {
    return invalid(`The line is not JSON (${error instanceof Error ? error.message : String(error)}).`);
  }
  if (request === null || typeof request !== 'object' || Array.isArray(request))
    return invalid('The line is not a JSON object.');
  const r = request as Record<string, unknown>;
  if (typeof r.command === 'string') {
    if (r.cwd !== undefined && typeof r.cwd !== 'string')
      return invalid('"cwd" must be a string.', { command: r.command });
    const cwd = typeof r.cwd === 'string' ? path.resolve(defaultCwd, r.cwd) : defaultCwd;
    return policy.decideCommand(r.command, cwd);
  }
  if (typeof r.path === 'string') {
    if (!isOperation(r.op)) return invalid('"op" must be "read" or "write".', { path: r.path });
    return policy.decidePath(r.op, r.path);
  }
  return invalid('Expected {"command": "..."} or {"path": "...", "op": "read"|"write"}.');
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let options: Options;
  try {
    options = parseArgs(argv);
    if (options.help) {
      io.stdout.write(USAGE);
      return 0;
    }
    const [mode, ...rest] = options.positional;
    if (mode === 'verify-audit') {
      const outcome = verifyAuditCli(rest, io);
      if ('usageError' in outcome) throw new UsageError(outcome.usageError);
      return outcome.exitCode;
    }
    if (options.jsonl ? mode !== undefined : mode !== 'command' && mode !== 'path')
      throw new UsageError(options.jsonl ? '--jsonl takes no command' : 'expected `command` or `path`');
    if (mode === 'command' && rest.length === 0) throw new UsageError('`command` needs the command text');
    if (mode === 'path' && (rest.length !== 2 || !isOperation(rest[0])))
      throw new UsageError('`path` needs `read` or `write` and a path');

    const roots = (options.roots.length > 0 ? options.roots : [process.cwd()]).map((root) => {
      const absolute = path.resolve(root);
      if (!existsSync(absolute)) throw new UsageError(`--root ${root} does not exist`);
      return canonicalFolder(absolute);
    });
    const user = options.userSettings ? readSettingsFile(options.userSettings, io) : {};
    const workspace = options.workspaceSettings ? readSettingsFile(options.workspaceSettings, io) : {};
    const settings = mergeSettings(buildSnapshot(user, workspace));
    for (const problem of settings.problems)
      io.stderr.write(`settings: ${problem.key} (${problem.scope}): ${problem.message}\n`);

    const parser = mode === 'path' ? undefined : await loadParser(io);
    const policy: Policy = createPolicy(
      settings,
      environment(roots, () => policy),
      parser,
    );
    const cwd = options.cwd ? path.resolve(roots[0], options.cwd) : roots[0];

    if (options.jsonl) {
      const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
      for await (const line of lines) {
        if (line.trim() === '') continue;
        io.stdout.write(`${JSON.stringify(decideRequest(policy, line, cwd))}\n`);
      }
      return 0;
    }
    const decision =
      mode === 'command'
        ? policy.decideCommand(rest.join(' '), cwd)
        : policy.decidePath(rest[0] as FileOperation, rest[1]);
    io.stdout.write(`${JSON.stringify(decision, null, 2)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`policy-cli: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`policy-cli: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
