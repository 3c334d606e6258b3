// Merges settings read by scope into the effective settings. A cloned repository controls its workspace
// settings, so a workspace (or folder) value may only narrow trust: keys that widen it are read from user
// settings alone, deny lists only grow, limits only go down. Every ignored or invalid value is reported,
// and an invalid value always falls back to the safer choice. Never throws.
import type { DecisionSource } from './decision';
import type { Limits, RuleEntry, ScopedSetting, SettingProblem, SettingsSnapshot, EffectiveSettings } from './policy';
import type { ModelEndpointConfig } from '../model/types';
import { parseAutoApproveEntry, type AutoApproveEntry } from '../mcp/autoApprove';
import { parseServerMap, type McpServerDefinition } from '../mcp/serverConfig';
import { baseUrlProblem } from '../model/endpoint';
import { profileFromEndpoint, type ModelProfile } from '../model/profiles';
import { MODEL_TOKEN_RANGES, readModelProfiles } from '../model/profileSettings';
import { SANDBOX_MODES, stricterSandboxMode, type SandboxMode } from '../sandbox/sandboxSpec';

type Scope = SettingProblem['scope'];

/** Must equal the defaults in package.json's `contributes.configuration` (a unit test compares them). */
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxToolCallsPerTurn: 25,
  maxInputChars: 50_000,
  maxToolOutputChars: 20_000,
  commandTimeoutSeconds: 120,
  maxRepeatedCalls: 3,
});

/** The manifest's `minimum`/`maximum` for each limit. */
export const LIMIT_RANGES: Readonly<Record<keyof Limits, readonly [min: number, max: number]>> = Object.freeze({
  maxToolCallsPerTurn: [1, 500],
  maxInputChars: [100, 2_000_000],
  maxToolOutputChars: [500, 1_000_000],
  commandTimeoutSeconds: [1, 3600],
  maxRepeatedCalls: [2, 50],
});

export const DEFAULT_MODEL: Readonly<ModelEndpointConfig> = Object.freeze({
  provider: 'openai',
  baseUrl: '',
  model: 'gpt-4o-mini',
  azureApiVersion: '2024-10-21',
  maxOutputTokens: 4096,
  contextWindow: 128_000,
});

export const DEFAULT_GLOBS = Object.freeze({
  read: ['**'] as readonly string[],
  write: ['**'] as readonly string[],
  deny: [] as readonly string[],
  commandAllow: [] as readonly string[],
  commandDeny: [] as readonly string[],
  autoApproveWrites: [] as readonly string[],
});

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

const PROVIDERS: readonly ModelEndpointConfig['provider'][] = ['openai', 'azure', 'openai-compatible'];

const SCOPES: ReadonlyArray<readonly [Scope, keyof ScopedSetting]> = [
  ['user', 'globalValue'],
  ['workspace', 'workspaceValue'],
  ['workspaceFolder', 'workspaceFolderValue'],
];

function sourceOf(scope: Scope): DecisionSource {
  return scope === 'user' ? 'user' : 'workspace';
}

/**
 * Why a glob is unusable, or undefined. Globs are relative to each workspace folder, so absolute paths,
 * `~` and `..` can never match; unbalanced brackets usually mean a typo that would match something else.
 */
export function globProblem(glob: string): string | undefined {
  if (glob.trim() === '') return 'an empty glob';
  if (CONTROL_CHARS.test(glob)) return 'a glob with a control character';
  if (glob.startsWith('!')) return 'negated globs (`!…`) are not supported';
  if (glob.startsWith('/') || glob.startsWith('~') || /^[A-Za-z]:[\\/]/.test(glob))
    return 'globs are relative to each workspace folder, not absolute';
  if (/(?:^|[\\/])\.\.(?:[\\/]|$)/.test(glob)) return 'a glob cannot reach outside the workspace with `..`';
  let braces = 0;
  let inClass = false;
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') inClass = true;
    else if (ch === '{') braces++;
    else if (ch === '}' && --braces < 0) return 'unbalanced braces';
  }
  if (inClass) return 'an unclosed `[`';
  if (braces !== 0) return 'unbalanced braces';
  return undefined;
}

/** Escapes glob syntax so the text matches only itself. */
function literalGlob(text: string): string {
  return text.replace(/[\\*?[\]{}()!+@#]/g, '\\$&');
}

const LEGACY_MODEL_KEYS = [
  'model.provider',
  'model.baseUrl',
  'model.name',
  'model.azureApiVersion',
  'model.maxOutputTokens',
  'model.contextWindow',
] as const;

class Merger {
  readonly problems: SettingProblem[] = [];
  /** The merged warden.model.* settings, kept for the default profile. */
  private legacyModel: ModelEndpointConfig = { ...DEFAULT_MODEL };

  constructor(private readonly snapshot: SettingsSnapshot) {}

  value(key: string, scope: Scope): unknown {
    const setting = this.snapshot[key];
    if (!setting) return undefined;
    const field = SCOPES.find(([s]) => s === scope)![1];
    return setting[field];
  }

  report(key: string, scope: Scope, message: string): void {
    this.problems.push({ key: `warden.${key}`, scope, message });
  }

  /** Reports every workspace/folder value of a user-only key. */
  ignoreWorkspaceValues(key: string, what: string): void {
    for (const scope of ['workspace', 'workspaceFolder'] as const) {
      if (this.value(key, scope) !== undefined) {
        this.report(key, scope, `ignored: a workspace cannot widen ${what}; set warden.${key} in your user settings.`);
      }
    }
  }

  /**
   * A string array, or undefined (reported) when the value is not an array. Non-string items are dropped and reported.
   */
  stringList(key: string, scope: Scope, raw: unknown): string[] | undefined {
    if (!Array.isArray(raw)) {
      this.report(
        key,
        scope,
        `invalid: expected a list of strings, got ${describe(raw)}; it is treated as an empty list.`,
      );
      return undefined;
    }
    const out: string[] = [];
    raw.forEach((item, index) => {
      if (typeof item === 'string') out.push(item);
      else this.report(key, scope, `invalid: item ${index} is ${describe(item)}, not a string; it is dropped.`);
    });
    return out;
  }

  /** User-only allow-type glob list: invalid entries are dropped (less trust). */
  userAllowGlobs(key: string, what: string, defaults: readonly string[]): RuleEntry[] {
    this.ignoreWorkspaceValues(key, what);
    const raw = this.value(key, 'user');
    if (raw === undefined) return defaults.map((value) => ({ value, source: 'default' }));
    // A malformed list grants nothing rather than falling back to the (wider) default.
    const list = this.stringList(key, 'user', raw) ?? [];
    const out: RuleEntry[] = [];
    for (const glob of list) {
      const problem = globProblem(glob);
      if (problem) this.report(key, 'user', `invalid: \`${glob}\` is ${problem}; it is dropped and grants nothing.`);
      else out.push({ value: glob.trim(), source: 'user' });
    }
    return dedupe(out);
  }

  /**
   * Deny globs from every scope, unioned. An invalid glob is kept as a deny that matches its literal
   * text: dropping it could expose what the user meant to hide, while turning it into "deny everything"
   * would let one typo in a repository's settings disable the agent.
   */
  denyGlobs(key: string): RuleEntry[] {
    const out: RuleEntry[] = [];
    for (const [scope] of SCOPES) {
      const raw = this.value(key, scope);
      if (raw === undefined) continue;
      const list = this.stringList(key, scope, raw) ?? [];
      for (const glob of list) {
        if (glob.trim() === '') {
          this.report(key, scope, 'invalid: an empty glob denies nothing; it is dropped.');
          continue;
        }
        const problem = globProblem(glob);
        if (problem) {
          this.report(
            key,
            scope,
            `invalid: \`${glob}\` is ${problem}; it is kept as a deny rule matching exactly that text.`,
          );
          out.push({ value: literalGlob(glob.trim()), source: sourceOf(scope) });
        } else out.push({ value: glob.trim(), source: sourceOf(scope) });
      }
    }
    return dedupe(out);
  }

  /** Command deny entries from every scope, unioned; only empty or non-string entries are dropped. */
  commandDeny(key: string): RuleEntry[] {
    const out: RuleEntry[] = [];
    for (const [scope] of SCOPES) {
      const raw = this.value(key, scope);
      if (raw === undefined) continue;
      for (const entry of this.stringList(key, scope, raw) ?? []) {
        if (entry.trim() === '') this.report(key, scope, 'invalid: an empty command denies nothing; it is dropped.');
        else out.push({ value: entry.trim(), source: sourceOf(scope) });
      }
    }
    return dedupe(out);
  }

  /**
   * The user's command allow list. A workspace may only remove entries: its value is honoured when every
   * entry is already in the user's list (then only those stay allowed), otherwise ignored and reported.
   */
  commandAllow(key: string): RuleEntry[] {
    const raw = this.value(key, 'user');
    let effective: RuleEntry[] = [];
    if (raw !== undefined) {
      for (const entry of this.stringList(key, 'user', raw) ?? []) {
        if (entry.trim() === '' || CONTROL_CHARS.test(entry)) {
          this.report(key, 'user', `invalid: ${JSON.stringify(entry)} is not a command; it is dropped.`);
        } else effective.push({ value: entry.trim(), source: 'user' });
      }
      effective = dedupe(effective);
    }
    for (const scope of ['workspace', 'workspaceFolder'] as const) {
      const narrowing = this.value(key, scope);
      if (narrowing === undefined) continue;
      const list =
        Array.isArray(narrowing) && narrowing.every((e) => typeof e === 'string')
          ? (narrowing as string[]).map((e) => e.trim())
          : undefined;
      const allowed = new Set(effective.map((e) => e.value));
      const extra = list?.filter((e) => !allowed.has(e));
      if (list === undefined || extra === undefined || extra.length > 0) {
        const why =
          list === undefined ? 'it is not a list of strings' : `\`${extra![0]}\` is not in your user allow list`;
        this.report(
          key,
          scope,
          `ignored: a workspace cannot widen the command allow list (${why}); it may only remove entries.`,
        );
        continue;
      }
      const keep = new Set(list);
      effective = effective
        .filter((e) => keep.has(e.value))
        .map((e) => ({ value: e.value, source: 'workspace' as const }));
    }
    return effective;
  }

  /** min(user-or-default, workspace, folder); a workspace may lower a limit, never raise it. */
  limit(name: keyof Limits): number {
    const key = `limits.${name}`;
    let effective = DEFAULT_LIMITS[name];
    for (const [scope] of SCOPES) {
      const raw = this.value(key, scope);
      if (raw === undefined) continue;
      const value = this.limitValue(key, scope, name, raw);
      if (value === undefined) continue;
      if (scope === 'user') effective = value;
      else if (value <= effective) effective = value;
      else this.report(key, scope, `ignored: a workspace may only lower this limit (${value} > ${effective}).`);
    }
    return effective;
  }

  private limitValue(key: string, scope: Scope, name: keyof Limits, raw: unknown): number | undefined {
    const [min, max] = LIMIT_RANGES[name];
    if (typeof raw !== 'number' || !Number.isFinite(raw)) {
      this.report(key, scope, `invalid: expected a number, got ${describe(raw)}; it is ignored.`);
      return undefined;
    }
    let value = Math.floor(raw);
    if (value !== raw) this.report(key, scope, `invalid: expected a whole number; ${raw} is used as ${value}.`);
    // Out of range becomes the nearest bound: a value below the minimum still means "lower", and a value
    // above the maximum is never more than the manifest allows.
    if (value < min) {
      this.report(key, scope, `invalid: ${value} is below the minimum ${min}; ${min} is used.`);
      value = min;
    } else if (value > max) {
      this.report(key, scope, `invalid: ${value} is above the maximum ${max}; ${max} is used.`);
      value = max;
    }
    return value;
  }

  model(): ModelEndpointConfig {
    const model: ModelEndpointConfig = { ...DEFAULT_MODEL };
    this.legacyModel = model;
    for (const key of LEGACY_MODEL_KEYS) {
      // A repository must not redirect requests (and the user's API key) to its own server.
      this.ignoreWorkspaceValues(key, 'the model endpoint');
    }
    const provider = this.value('model.provider', 'user');
    if (provider !== undefined) {
      if (typeof provider === 'string' && (PROVIDERS as readonly string[]).includes(provider))
        model.provider = provider as ModelEndpointConfig['provider'];
      else
        this.report(
          'model.provider',
          'user',
          `invalid: unknown provider ${describe(provider)}; \`${DEFAULT_MODEL.provider}\` is used.`,
        );
    }
    const baseUrl = this.value('model.baseUrl', 'user');
    if (baseUrl !== undefined) {
      const problem = baseUrlProblem(baseUrl);
      if (problem)
        this.report('model.baseUrl', 'user', `invalid: ${problem}; the provider's default endpoint is used.`);
      else model.baseUrl = (baseUrl as string).trim();
    }
    for (const [key, field] of [
      ['model.name', 'model'],
      ['model.azureApiVersion', 'azureApiVersion'],
    ] as const) {
      const raw = this.value(key, 'user');
      if (raw === undefined) continue;
      if (typeof raw === 'string' && raw.trim() !== '' && !CONTROL_CHARS.test(raw)) model[field] = raw.trim();
      else
        this.report(
          key,
          'user',
          `invalid: expected a non-empty string, got ${describe(raw)}; \`${DEFAULT_MODEL[field]}\` is used.`,
        );
    }
    for (const field of ['maxOutputTokens', 'contextWindow'] as const) {
      const key = `model.${field}`;
      const raw = this.value(key, 'user');
      if (raw === undefined) continue;
      const [min, max] = MODEL_TOKEN_RANGES[field];
      if (typeof raw === 'number' && Number.isInteger(raw) && raw >= min && raw <= max) model[field] = raw;
      else
        this.report(
          key,
          'user',
          `invalid: expected a whole number from ${min} to ${max}, got ${describe(raw)}; ${DEFAULT_MODEL[field]} ` +
            `is used.`,
        );
    }
    return model;
  }

  /**
   * MCP servers start programs and receive secrets, and auto-approved tools skip the card: both come from
   * user settings only. A workspace's servers are not dropped silently: they are kept apart as repository
   * definitions, which only start after the user approves each one.
   */
  mcp(): EffectiveSettings['mcp'] {
    const serversKey = 'mcp.servers';
    this.ignoreWorkspaceValues(serversKey, 'which MCP servers start (its servers are listed for your approval)');
    this.ignoreWorkspaceValues('mcp.autoApprove', 'which MCP tools skip approval');
    const servers = this.serverMap(serversKey, 'user');
    const workspaceServers: McpServerDefinition[] = [];
    for (const scope of ['workspace', 'workspaceFolder'] as const)
      workspaceServers.push(...this.serverMap(serversKey, scope));
    const autoApprove: AutoApproveEntry[] = [];
    const raw = this.value('mcp.autoApprove', 'user');
    if (raw !== undefined) {
      for (const value of this.stringList('mcp.autoApprove', 'user', raw) ?? []) {
        const parsed = parseAutoApproveEntry(value, 'user');
        if (parsed.ok) autoApprove.push(parsed.entry);
        else this.report('mcp.autoApprove', 'user', `invalid: ${parsed.message}; it is dropped and allows nothing.`);
      }
    }
    return { servers, workspaceServers, autoApprove };
  }

  /** The user's own instruction files: a repository naming files here could point at any file of the user. */
  instructionFiles(): string[] {
    const key = 'instructions.files';
    this.ignoreWorkspaceValues(key, 'which of your files are read as instructions');
    const raw = this.value(key, 'user');
    return raw === undefined ? [] : (this.stringList(key, 'user', raw) ?? []).filter((path) => path.trim() !== '');
  }

  private serverMap(key: string, scope: Scope): McpServerDefinition[] {
    const raw = this.value(key, scope);
    if (raw === undefined) return [];
    const parsed = parseServerMap(raw);
    for (const problem of parsed.problems) {
      const where = problem.server === undefined ? '' : `server "${problem.server}": `;
      // Workspace values were reported as ignored already; their own problems show when they are listed.
      if (scope === 'user') this.report(key, scope, `invalid: ${where}${problem.message}`);
    }
    return parsed.servers;
  }

  /**
   * `warden.sandbox.mode`: a workspace (a cloned repository) may only make it stricter — never turn the sandbox
   * off or let writes land directly. The allowed domains open the network: user settings only.
   */
  sandbox(): EffectiveSettings['sandbox'] {
    let mode: SandboxMode = 'preview';
    for (const [scope] of SCOPES) {
      const raw = this.value('sandbox.mode', scope);
      if (raw === undefined) continue;
      if (typeof raw !== 'string' || !(SANDBOX_MODES as readonly string[]).includes(raw)) {
        this.report('sandbox.mode', scope, `invalid: expected one of ${SANDBOX_MODES.join(', ')}; it is ignored.`);
        continue;
      }
      const value = raw as SandboxMode;
      if (scope === 'user') mode = value;
      else if (stricterSandboxMode(value, mode) !== value)
        this.report('sandbox.mode', scope, `ignored: a workspace may only make the sandbox stricter than "${mode}".`);
      else mode = value;
    }
    this.ignoreWorkspaceValues('sandbox.network.allowedDomains', 'which hosts sandboxed commands may reach');
    const domainsKey = 'sandbox.network.allowedDomains';
    const raw = this.value(domainsKey, 'user');
    const allowedDomains = raw === undefined ? [] : (this.stringList(domainsKey, 'user', raw) ?? []);
    return { mode, allowedDomains };
  }

  /** warden.models (user scope only) and the default profile from warden.model.*; call after model(). */
  modelProfiles(): ModelProfile[] {
    const { profiles, problems } = readModelProfiles({
      models: {
        user: this.value('models', 'user'),
        workspace: this.value('models', 'workspace'),
        workspaceFolder: this.value('models', 'workspaceFolder'),
      },
      legacy: this.legacyModel,
      legacyConfigured: LEGACY_MODEL_KEYS.some((key) => this.value(key, 'user') !== undefined),
      defaults: DEFAULT_MODEL,
    });
    this.problems.push(...problems);
    return profiles;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'number') return String(value);
  return `a ${typeof value}`;
}

/** First occurrence wins, so a user entry keeps its source when a workspace repeats it. */
function dedupe(entries: RuleEntry[]): RuleEntry[] {
  const seen = new Set<string>();
  return entries.filter((e) => (seen.has(e.value) ? false : (seen.add(e.value), true)));
}

export function mergeSettings(snapshot: SettingsSnapshot): EffectiveSettings {
  try {
    const m = new Merger(snapshot ?? {});
    return {
      read: m.userAllowGlobs('permissions.read', 'what the agent may read', DEFAULT_GLOBS.read),
      write: m.userAllowGlobs('permissions.write', 'what the agent may write', DEFAULT_GLOBS.write),
      deny: m.denyGlobs('permissions.deny'),
      commandAllow: m.commandAllow('commands.allow'),
      commandDeny: m.commandDeny('commands.deny'),
      autoApproveWrites: m.userAllowGlobs(
        'approval.autoApproveWrites',
        'which writes skip approval',
        DEFAULT_GLOBS.autoApproveWrites,
      ),
      limits: {
        maxToolCallsPerTurn: m.limit('maxToolCallsPerTurn'),
        maxInputChars: m.limit('maxInputChars'),
        maxToolOutputChars: m.limit('maxToolOutputChars'),
        commandTimeoutSeconds: m.limit('commandTimeoutSeconds'),
        maxRepeatedCalls: m.limit('maxRepeatedCalls'),
      },
      model: m.model(),
      mcp: m.mcp(),
      sandbox: m.sandbox(),
      modelProfiles: m.modelProfiles(),
      instructionFiles: m.instructionFiles(),
      problems: m.problems,
    };
  } catch (error) {
    // A bug here must not hand out trust: nothing readable or writable, no allowed commands.
    const message = error instanceof Error ? error.message : String(error);
    return {
      read: [],
      write: [],
      deny: [],
      commandAllow: [],
      commandDeny: [],
      autoApproveWrites: [],
      limits: { ...DEFAULT_LIMITS },
      model: { ...DEFAULT_MODEL },
      mcp: { servers: [], workspaceServers: [], autoApprove: [] },
      sandbox: { mode: 'preview', allowedDomains: [] },
      modelProfiles: [profileFromEndpoint(DEFAULT_MODEL)],
      instructionFiles: [],
      problems: [
        {
          key: 'warden',
          scope: 'user',
          message: `invalid: the settings could not be read (${message}); nothing is allowed until this is fixed.`,
        },
      ],
    };
  }
}
