// The MCP tools of one window, as run-time tools of the agent: before every model request the servers' tool
// lists are read again and turned into a catalog — pinned lists only, so a server whose tools changed since
// the user accepted them (a "rug pull") is withheld, announced once, and offered again only after the user
// reviewed the change and accepted it. Each tool's plan brings its own card.
import type { KeyValueStore, Logger, RunTimeTools, RunTimeToolsPort, RunTimeToolsRequest } from '../ports';
import { asAnyTool, type AnyTool } from '../tools/tool';
import { failedPlan, refusedPlan, type ToolPlan } from '../tools/plan';
import type { AutoApproveEntry } from './autoApprove';
import { mcpToolPlan } from './mcpCallPlan';
import type { McpServerConnection, McpServerTools } from './mcpTypes';
import { McpToolCatalog, type CatalogTool, type ServerToolList } from './toolCatalog';
import { pinTools, readStoredPin, type ToolListDiff, type ToolPin } from './toolPin';
import { checkArguments, type JsonSchemaCompiler } from './toolSchema';
import { visibleText } from '../policy/visibleText';

/** What the tool source needs of the running servers (the Node layer's pool behind the VS Code host). */
export interface McpServersPort {
  /** Starts what may run and has not started; each server's tools or why it has none. Never throws. */
  toolLists(signal: AbortSignal): Promise<McpServerTools[]>;
  connection(server: string): McpServerConnection | undefined;
  /** The argument validator (loading it may load the MCP bundle: asked only when some server has tools). */
  schemaCompiler(): JsonSchemaCompiler;
  /** What a server's accepted tools are remembered under; a changed definition is a new server. */
  pinKey(server: string): string | undefined;
}

export interface McpToolSourceOptions {
  servers: McpServersPort;
  /** Where accepted tool lists are kept (across windows: a pin is about the server, not the workspace). */
  pins: KeyValueStore;
  /** `warden.mcp.autoApprove`, read when a call is planned. */
  autoApprove(): readonly AutoApproveEntry[];
  logger: Logger;
}

/** A server whose tools are withheld until the user looks at the change. */
export interface PendingReview {
  server: string;
  /** The hash of the tool list the user would accept: accepting checks it is still the one shown. */
  pinHash: string;
  /** The change as text (descriptions as a diff), invisible characters escaped. */
  review: string;
  diff: ToolListDiff;
}

const PIN_PREFIX = 'warden.mcp.pin.';
const EMPTY: RunTimeTools = { tools: [], notices: [] };

export function pinStoreKey(pinKey: string): string {
  return `${PIN_PREFIX}${pinKey}`;
}

function summary(diff: ToolListDiff): string {
  const parts = [
    diff.added.length > 0 ? `${diff.added.length} added` : '',
    diff.removed.length > 0 ? `${diff.removed.length} removed` : '',
    diff.changed.length > 0 ? `${diff.changed.length} changed` : '',
  ].filter((part) => part !== '');
  return parts.join(', ');
}

export class McpToolSource implements RunTimeToolsPort {
  private cache: { key: string; tools: readonly AnyTool[] } | undefined;
  private reviews = new Map<string, PendingReview & { pin: ToolPin; pinKey: string }>();
  /** Server + pin hash of every change already announced (once per change, not once per request). */
  private readonly announced = new Set<string>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: McpToolSourceOptions) {}

  /** Called when the set of withheld servers changed (the chat header shows them). */
  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  async forRequest(request: RunTimeToolsRequest): Promise<RunTimeTools> {
    if (!request.trusted) return EMPTY;
    let lists: McpServerTools[];
    try {
      lists = await this.options.servers.toolLists(request.signal);
    } catch (error) {
      this.options.logger.error(`MCP tools are not offered: ${error instanceof Error ? error.message : String(error)}`);
      return EMPTY;
    }
    const inputs: Array<ServerToolList & { pinKey: string }> = [];
    for (const list of lists) {
      if (!list.ok) continue;
      const pinKey = this.options.servers.pinKey(list.server);
      if (pinKey === undefined) continue;
      inputs.push({
        server: list.server,
        tools: list.tools,
        accepted: readStoredPin(this.options.pins.get(pinStoreKey(pinKey))),
        pinKey,
      });
    }
    if (inputs.length === 0) {
      this.setReviews(new Map());
      this.cache = undefined;
      return EMPTY;
    }
    const key = JSON.stringify(inputs.map((i) => [i.server, i.pinKey, pinTools(i.tools).hash, i.accepted?.hash ?? '']));
    if (this.cache?.key === key) return { tools: this.cache.tools, notices: [] };

    const catalog = new McpToolCatalog(inputs, this.options.servers.schemaCompiler());
    for (const { server, pin } of catalog.firstUsePins) {
      const input = inputs.find((i) => i.server === server)!;
      await this.options.pins.set(pinStoreKey(input.pinKey), pin);
      this.options.logger.info(`MCP server "${server}": its ${pin.tools.length} tool(s) are pinned as first seen.`);
    }
    const reviews = new Map<string, PendingReview & { pin: ToolPin; pinKey: string }>();
    const notices: RunTimeTools['notices'][number][] = [];
    for (const withheld of catalog.withheld) {
      if (withheld.kind === 'unsupported-schema') {
        this.options.logger.warn(
          `MCP tool "${withheld.tool}" of "${withheld.server}" is not offered: ${withheld.reason}`,
        );
        continue;
      }
      const input = inputs.find((i) => i.server === withheld.server)!;
      reviews.set(withheld.server, {
        server: withheld.server,
        pinHash: withheld.pin.hash,
        review: visibleText(withheld.review),
        diff: withheld.diff,
        pin: withheld.pin,
        pinKey: input.pinKey,
      });
      const announcement = `${withheld.server}\u0000${withheld.pin.hash}`;
      if (this.announced.has(announcement)) continue;
      this.announced.add(announcement);
      this.options.logger.warn(
        `MCP server "${withheld.server}" changed its tools; they are withheld:\n${withheld.review}`,
      );
      notices.push({
        level: 'warning',
        text:
          `The MCP server "${visibleText(withheld.server)}" changed its tools since you accepted them ` +
          `(${summary(withheld.diff)}). Its tools are withheld until you review the change.`,
        action: { label: 'Review', command: 'warden.reviewMcpTools' },
      });
    }
    this.setReviews(reviews);
    const tools = catalog.tools.map((tool) => this.toolFor(catalog, tool));
    this.cache = { key, tools };
    return { tools, notices };
  }

  /** Servers withheld until their change is reviewed. */
  pendingReviews(): PendingReview[] {
    return [...this.reviews.values()].map(({ server, pinHash, review, diff }) => ({ server, pinHash, review, diff }));
  }

  /**
   * The user accepted the change they were shown: its tool list becomes the pin. Refused (false) when the
   * server changed again since — what was reviewed is not what would be accepted.
   */
  async accept(server: string, pinHash: string): Promise<boolean> {
    const review = this.reviews.get(server);
    if (review === undefined || review.pinHash !== pinHash) return false;
    await this.options.pins.set(pinStoreKey(review.pinKey), review.pin);
    this.options.logger.info(`MCP server "${server}": the changed tools were reviewed and accepted.`);
    const next = new Map(this.reviews);
    next.delete(server);
    this.cache = undefined;
    this.setReviews(next);
    return true;
  }

  private setReviews(reviews: Map<string, PendingReview & { pin: ToolPin; pinKey: string }>): void {
    const before = [...this.reviews.values()].map((r) => `${r.server}:${r.pinHash}`).join('|');
    const after = [...reviews.values()].map((r) => `${r.server}:${r.pinHash}`).join('|');
    this.reviews = reviews;
    if (before !== after) for (const listener of [...this.listeners]) listener();
  }

  private toolFor(catalog: McpToolCatalog, entry: CatalogTool): AnyTool {
    const { modelName, server, info } = entry;
    const readOnly = info.annotations?.readOnlyHint === true;
    const title = `${server} › ${info.title ?? info.name}`;
    return asAnyTool({
      name: modelName,
      // "read" only decides that Ask mode may offer it; the plan still asks for every call there.
      effect: readOnly ? 'read' : 'command',
      spec: entry.spec,
      validate: (args: unknown) => {
        const checked = checkArguments((value) => entry.check(value), args);
        return checked.ok ? { ok: true as const, value: checked.args } : { ok: false as const, errors: checked.errors };
      },
      title: () => visibleText(title),
      plan: async (args: unknown, ctx): Promise<ToolPlan> => {
        const planned = catalog.planCall(modelName, args, {
          mode: ctx.mode ?? 'ask',
          trusted: true,
          autoApprove: this.options.autoApprove(),
        });
        if (planned.kind === 'refused')
          return refusedPlan(visibleText(planned.title), planned.decision, planned.message);
        if (planned.kind === 'invalid')
          return failedPlan({
            title: visibleText(planned.title),
            message: planned.message,
            decision: planned.decision,
            detail: 'invalid arguments',
          });
        return mcpToolPlan({ ...planned, title: visibleText(planned.title) }, (name) =>
          this.options.servers.connection(name),
        );
      },
    });
  }
}
