// Which tools exist, and which are offered: none in an untrusted workspace, read-only ones in Ask mode.
// The built-in tools are registered up front; others (MCP servers' tools) can be registered at run time.
import type { ToolSpec } from '../model/types';
import { editFileTool } from './editFile';
import { getDiagnosticsTool } from './getDiagnostics';
import { listFilesTool } from './listFiles';
import { readFileTool } from './readFile';
import { runCommandTool } from './runCommand';
import { searchFilesTool } from './searchFiles';
import { asAnyTool, type AnyTool } from './tool';
import { writeFileTool } from './writeFile';

export type Mode = 'agent' | 'ask';

/** In the order the system prompt lists them. */
export const BUILT_IN_TOOLS: readonly AnyTool[] = [
  asAnyTool(readFileTool),
  asAnyTool(listFilesTool),
  asAnyTool(searchFilesTool),
  asAnyTool(getDiagnosticsTool),
  asAnyTool(editFileTool),
  asAnyTool(writeFileTool),
  asAnyTool(runCommandTool),
];

/** What the chat-completions APIs accept as a function name. */
const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Whether a tool may run at all in this mode and trust state (checked again on every call). */
export function isToolAvailable(tool: AnyTool, mode: Mode, trusted: boolean): boolean {
  if (!trusted) return false;
  return mode === 'agent' || tool.effect === 'read';
}

export class ToolRegistry {
  private readonly tools = new Map<string, AnyTool>();
  private readonly offeredCache = new Map<string, { tools: readonly AnyTool[]; specs: readonly ToolSpec[] }>();
  private extensions = new WeakMap<readonly AnyTool[], ToolRegistry>();

  constructor(tools: readonly AnyTool[] = []) {
    for (const tool of tools) this.register(tool);
  }

  /** Adds a tool; a second tool under a taken name is refused, so no tool can shadow another. */
  register(tool: AnyTool): void {
    if (!TOOL_NAME.test(tool.name)) throw new Error(`Invalid tool name ${JSON.stringify(tool.name)}.`);
    if (tool.spec.name !== tool.name)
      throw new Error(`Tool ${tool.name} describes itself as ${JSON.stringify(tool.spec.name)}.`);
    if (this.tools.has(tool.name)) throw new Error(`A tool named ${tool.name} is already registered.`);
    this.tools.set(tool.name, tool);
    this.offeredCache.clear();
    this.extensions = new WeakMap();
  }

  /**
   * This registry's tools followed by `extra` (tools of one model request, such as MCP servers'), as a new
   * registry; an extra tool under a taken name is left out, so it can never shadow a built-in. The same
   * `extra` array gives the same registry, so offered specs (and their size estimate) stay cached.
   */
  with(extra: readonly AnyTool[]): ToolRegistry {
    if (extra.length === 0) return this;
    let extended = this.extensions.get(extra);
    if (extended === undefined) {
      extended = new ToolRegistry([...this.tools.values()]);
      for (const tool of extra) {
        if (extended.tools.has(tool.name) || !TOOL_NAME.test(tool.name) || tool.spec.name !== tool.name) continue;
        extended.register(tool);
      }
      this.extensions.set(extra, extended);
    }
    return extended;
  }

  find(name: string): AnyTool | undefined {
    return this.tools.get(name);
  }

  all(): readonly AnyTool[] {
    return [...this.tools.values()];
  }

  /** The tools offered in this mode and trust state, in registration order. */
  offered(mode: Mode, trusted: boolean): readonly AnyTool[] {
    return this.offeredEntry(mode, trusted).tools;
  }

  /** The same array for the same mode, trust and tools, so its size estimate can be cached. */
  offeredSpecs(mode: Mode, trusted: boolean): readonly ToolSpec[] {
    return this.offeredEntry(mode, trusted).specs;
  }

  private offeredEntry(mode: Mode, trusted: boolean): { tools: readonly AnyTool[]; specs: readonly ToolSpec[] } {
    const key = `${mode}:${trusted}`;
    let entry = this.offeredCache.get(key);
    if (entry === undefined) {
      const tools = Object.freeze([...this.tools.values()].filter((tool) => isToolAvailable(tool, mode, trusted)));
      entry = { tools, specs: Object.freeze(tools.map((tool) => tool.spec)) };
      this.offeredCache.set(key, entry);
    }
    return entry;
  }
}

/** A registry holding the built-in tools. */
export function builtInTools(): ToolRegistry {
  return new ToolRegistry(BUILT_IN_TOOLS);
}
