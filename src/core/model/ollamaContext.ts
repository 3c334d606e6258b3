// The `num_ctx` trap: Ollama runs a model with a context it picks when loading it (4096 tokens on machines with
// less than 24 GB of VRAM) whatever the model could take, and silently cuts the start of longer prompts — through
// the OpenAI-compatible API there is no per-request setting. This asks Ollama's own API what a model really gets.

/** Below this the agent cannot hold its instructions, its tool schemas and a few files at once. */
export const MIN_AGENT_CONTEXT_TOKENS = 16_384;

export interface OllamaContextReport {
  model: string;
  /** What the model was trained for (`model_info['<arch>.context_length']`). */
  modelMaxContext?: number;
  /** `num_ctx` from the model's Modelfile parameters. */
  modelfileNumCtx?: number;
  /** `context_length` of the loaded model (`/api/ps`): what Ollama really allocated. */
  loadedContext?: number;
  /** What requests get: the loaded context, else the Modelfile's num_ctx; undefined while Ollama decides. */
  effectiveContext?: number;
  /** From Ollama's `capabilities` (newer versions list `tools`); undefined when not reported. */
  supportsTools?: boolean;
  /** Why Warden's plan does not fit, and what to change; undefined when it fits. */
  warning?: string;
}

export type OllamaContextCheck =
  | { kind: 'not_ollama' }
  | { kind: 'unknown_model'; message: string }
  | { kind: 'failed'; message: string }
  | { kind: 'checked'; report: OllamaContextReport };

export interface OllamaContextRequest {
  /** The profile's OpenAI-compatible URL, e.g. http://127.0.0.1:11434/v1. */
  baseUrl: string;
  model: string;
  /** The window the profile plans with. */
  contextWindow: number;
  fetch: typeof fetch;
  signal: AbortSignal;
}

/** Ollama's native API lives beside its OpenAI-compatible one: `<origin>/v1` → `<origin>`. */
export function ollamaApiRoot(baseUrl: string): string {
  return baseUrl.trim().replace(/\/+$/, '').replace(/\/v1$/, '');
}

export async function checkOllamaContext(request: OllamaContextRequest): Promise<OllamaContextCheck> {
  const root = ollamaApiRoot(request.baseUrl);
  const call = async (path: string, body?: unknown): Promise<{ status: number; json: unknown } | undefined> => {
    try {
      const response = await request.fetch(`${root}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        signal: request.signal,
        ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });
      const text = await response.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: response.status, json };
    } catch (error) {
      if (request.signal.aborted) throw error;
      return undefined;
    }
  };

  const version = await call('/api/version');
  if (version === undefined || version.status !== 200 || typeof field(version.json, 'version') !== 'string')
    return { kind: 'not_ollama' };

  const show = await call('/api/show', { model: request.model });
  if (show === undefined)
    return { kind: 'failed', message: 'Ollama stopped answering while Warden asked about the model.' };
  if (show.status === 404)
    return {
      kind: 'unknown_model',
      message: `Ollama has no model "${request.model}": pull it with \`ollama pull ${request.model}\`.`,
    };
  if (show.status !== 200 || typeof show.json !== 'object' || show.json === null)
    return { kind: 'failed', message: `Ollama answered /api/show with status ${show.status}.` };

  const report: OllamaContextReport = { model: request.model };
  const modelInfo = field(show.json, 'model_info');
  if (typeof modelInfo === 'object' && modelInfo !== null) {
    for (const [key, value] of Object.entries(modelInfo))
      if (key.endsWith('.context_length') && isCount(value)) report.modelMaxContext = value;
  }
  const parameters = field(show.json, 'parameters');
  if (typeof parameters === 'string') {
    const numCtx = /^\s*num_ctx\s+(\d+)\s*$/m.exec(parameters);
    if (numCtx) report.modelfileNumCtx = Number(numCtx[1]);
  }
  const capabilities = field(show.json, 'capabilities');
  if (Array.isArray(capabilities)) report.supportsTools = capabilities.includes('tools');

  const running = await call('/api/ps');
  const models = field(running?.json, 'models');
  if (Array.isArray(models)) {
    const loaded = models.find(
      (entry) => sameModel(field(entry, 'name'), request.model) || sameModel(field(entry, 'model'), request.model),
    );
    const length = field(loaded, 'context_length');
    if (isCount(length)) report.loadedContext = length;
  }
  report.effectiveContext = report.loadedContext ?? report.modelfileNumCtx;
  const warning = contextWarning(report, request.contextWindow);
  if (warning !== undefined) report.warning = warning;
  return { kind: 'checked', report };
}

/** What is wrong with the context Ollama gives, measured against the window the profile plans with. */
export function contextWarning(report: OllamaContextReport, contextWindow: number): string | undefined {
  const raise =
    'Raise it with OLLAMA_CONTEXT_LENGTH when starting Ollama, or PARAMETER num_ctx in a Modelfile' +
    (report.modelMaxContext === undefined ? '' : ` (the model allows up to ${report.modelMaxContext})`);
  const effective = report.effectiveContext;
  if (effective === undefined)
    return (
      `Ollama picks ${report.model}'s context when it loads the model — 4096 tokens on machines with less than ` +
      `24 GB of VRAM — and cuts longer prompts silently. ${raise}, then set contextWindow to match.`
    );
  if (effective < MIN_AGENT_CONTEXT_TOKENS)
    return (
      `Ollama gives ${report.model} a context of ${effective} tokens: too small for an agent (Warden needs at ` +
      `least ${MIN_AGENT_CONTEXT_TOKENS}), and longer prompts are cut silently. ${raise}.`
    );
  if (effective < contextWindow)
    return (
      `Ollama gives ${report.model} a context of ${effective} tokens, but this profile plans with ${contextWindow}: ` +
      `the start of long conversations would be cut silently. Set contextWindow to ${effective}, or ${
        raise.charAt(0).toLowerCase() + raise.slice(1)
      }.`
    );
  return undefined;
}

/** Ollama adds `:latest` to a name given without a tag. */
function sameModel(name: unknown, wanted: string): boolean {
  if (typeof name !== 'string') return false;
  const withTag = (value: string): string => (value.includes(':') ? value : `${value}:latest`);
  return withTag(name) === withTag(wanted);
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}
