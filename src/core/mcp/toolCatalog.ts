// The MCP tools one session may offer, built from each running server's tool list: pinned lists only
// (a changed list is withheld until reviewed), reviewed schemas only, provider-safe names. The agent loop
// asks it for the specs to send and for a plan of each `mcp__…` call; it never parses a name itself.
import type { ToolSpec } from '../model/types';
import type { Decision } from '../policy/decision';
import { decideMcpCall, MCP_RULES, offeredInMode, type McpCallContext, type McpMode } from './callDecision';
import type { McpToolInfo } from './mcpTypes';
import { McpToolNames } from './toolNames';
import { checkPin, describeToolListDiff, type ToolListDiff, type ToolPin } from './toolPin';
import {
  checkArguments,
  forValidation,
  reviewInputSchema,
  type JsonSchemaCompiler,
  type SchemaCheck,
} from './toolSchema';

/** Longest tool description sent to the model; a server's text is untrusted and should not fill the context. */
export const MAX_DESCRIPTION_CHARS = 2_000;

export interface ServerToolList {
  server: string;
  tools: readonly McpToolInfo[];
  /** The tool list the user accepted for this server, or undefined when none was recorded yet. */
  accepted: ToolPin | undefined;
}

export interface CatalogTool {
  /** The name the model calls it by. */
  modelName: string;
  server: string;
  info: McpToolInfo;
  spec: ToolSpec;
  check(value: unknown): SchemaCheck;
}

export type WithheldTools =
  /** The server's tools changed since they were accepted: all of them wait for the user's review. */
  | { kind: 'changed'; server: string; pin: ToolPin; diff: ToolListDiff; review: string }
  /** One tool whose input schema Warden cannot check. */
  | { kind: 'unsupported-schema'; server: string; tool: string; reason: string };

export interface CallCard {
  server: string;
  tool: string;
  /** The tool's description as the server gave it (shown so the user sees what the model was told). */
  description: string;
  /** Arguments, pretty-printed. */
  argumentsText: string;
  readOnlyHint: boolean;
}

export type McpCallPlan =
  /** Run after approval when `decision` is ask; at once when it is allow. */
  | {
      kind: 'call';
      decision: Decision;
      title: string;
      server: string;
      tool: string;
      args: Record<string, unknown>;
      card: CallCard;
    }
  /** The policy said no: the model is told the rule and the reason. */
  | { kind: 'refused'; decision: Decision; title: string; message: string }
  /** The model's arguments do not fit the schema: an error the model can correct, not a denial. */
  | { kind: 'invalid'; decision: Decision; title: string; message: string };

function describeForModel(server: string, info: McpToolInfo): string {
  const text = info.description.trim() === '' ? (info.title ?? info.name) : info.description;
  const capped =
    text.length > MAX_DESCRIPTION_CHARS ? `${text.slice(0, MAX_DESCRIPTION_CHARS)}… [description cut]` : text;
  return `(MCP server "${server}") ${capped}`;
}

function parametersFor(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}

export class McpToolCatalog {
  readonly tools: readonly CatalogTool[];
  readonly withheld: readonly WithheldTools[];
  /** Pins of servers seen for the first time: remember them, so a later change is caught. */
  readonly firstUsePins: ReadonlyArray<{ server: string; pin: ToolPin }>;
  private readonly byName: ReadonlyMap<string, CatalogTool>;
  private readonly names: McpToolNames;

  constructor(lists: readonly ServerToolList[], compiler: JsonSchemaCompiler) {
    const withheld: WithheldTools[] = [];
    const firstUse: Array<{ server: string; pin: ToolPin }> = [];
    const usable: Array<{ server: string; info: McpToolInfo; schema: Record<string, unknown> }> = [];
    for (const list of lists) {
      const pin = checkPin(list.accepted, list.tools);
      if (pin.status === 'changed') {
        withheld.push({
          kind: 'changed',
          server: list.server,
          pin: pin.pin,
          diff: pin.diff,
          review: describeToolListDiff(list.server, pin.diff),
        });
        continue;
      }
      if (pin.status === 'first-use') firstUse.push({ server: list.server, pin: pin.pin });
      const seen = new Set<string>();
      for (const info of list.tools) {
        if (seen.has(info.name)) continue; // a server listing one name twice: the first wins, as in the pin
        seen.add(info.name);
        const review = reviewInputSchema(info.inputSchema);
        if (!review.ok) {
          withheld.push({ kind: 'unsupported-schema', server: list.server, tool: info.name, reason: review.reason });
          continue;
        }
        usable.push({ server: list.server, info, schema: review.schema });
      }
    }
    this.names = new McpToolNames(usable.map((u) => ({ server: u.server, tool: u.info.name })));
    const tools: CatalogTool[] = [];
    for (const { server, info, schema } of usable) {
      const modelName = this.names.nameOf({ server, tool: info.name });
      if (modelName === undefined) continue;
      let check: (value: unknown) => SchemaCheck;
      try {
        check = compiler.compile(forValidation(schema) as Record<string, unknown>);
      } catch (error) {
        withheld.push({ kind: 'unsupported-schema', server, tool: info.name, reason: String(error) });
        continue;
      }
      tools.push({
        modelName,
        server,
        info,
        spec: { name: modelName, description: describeForModel(server, info), parameters: parametersFor(schema) },
        check,
      });
    }
    this.tools = tools;
    this.withheld = withheld;
    this.firstUsePins = firstUse;
    this.byName = new Map(tools.map((t) => [t.modelName, t]));
  }

  /** What to send the model in this mode: every usable tool in Agent mode, read-only ones in Ask mode. */
  specs(mode: McpMode, trusted: boolean): ToolSpec[] {
    if (!trusted) return [];
    return this.tools.filter((t) => offeredInMode(t.info, mode)).map((t) => t.spec);
  }

  find(modelName: string): CatalogTool | undefined {
    return this.byName.get(modelName);
  }

  /** Checks a call the model made: the tool exists and is offered, the arguments fit, and the policy's decision. */
  planCall(modelName: string, args: unknown, ctx: McpCallContext): McpCallPlan {
    const tool = this.byName.get(modelName);
    if (tool === undefined) {
      const decision: Decision = {
        decision: 'deny',
        rule: MCP_RULES.unknownTool,
        source: 'built-in',
        reason: `There is no MCP tool named "${modelName}" right now.`,
      };
      return {
        kind: 'refused',
        decision,
        title: modelName,
        message: `Unknown tool "${modelName}": its server is not running, changed its tools, or never offered it.`,
      };
    }
    const title = `${tool.server} › ${tool.info.title ?? tool.info.name}`;
    const decision = decideMcpCall(tool.server, tool.info, ctx);
    if (decision.decision === 'deny')
      return {
        kind: 'refused',
        decision,
        title,
        message:
          `Refused: ${decision.reason} (rule "${decision.rule}", ${decision.source}). Do not try to do it another ` +
          'way; tell the user if you need it.',
      };
    const checked = checkArguments((value) => tool.check(value), args);
    if (!checked.ok)
      return {
        kind: 'invalid',
        decision: {
          decision: 'deny',
          rule: MCP_RULES.invalidArguments,
          source: 'built-in',
          reason: checked.errors.join('; '),
        },
        title,
        message: `Invalid arguments for ${modelName}: ${checked.errors.join('; ')}.`,
      };
    return {
      kind: 'call',
      decision,
      title,
      server: tool.server,
      tool: tool.info.name,
      args: checked.args,
      card: {
        server: tool.server,
        tool: tool.info.name,
        description: tool.info.description,
        argumentsText: JSON.stringify(checked.args, null, 2),
        readOnlyHint: tool.info.annotations?.readOnlyHint === true,
      },
    };
  }
}
