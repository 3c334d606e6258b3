// Which tools exist, and which are offered: none in an untrusted workspace, read-only ones in Ask mode.
import type { ToolSpec } from '../model/types';
import { editFileTool } from './editFile';
import { getDiagnosticsTool } from './getDiagnostics';
import { listFilesTool } from './listFiles';
import { readFileTool } from './readFile';
import { runCommandTool } from './runCommand';
import { searchFilesTool } from './searchFiles';
import { asAnyTool, type AnyTool } from './tool';
import { writeFileTool } from './writeFile';

export const ALL_TOOLS: readonly AnyTool[] = [
  asAnyTool(readFileTool),
  asAnyTool(listFilesTool),
  asAnyTool(searchFilesTool),
  asAnyTool(getDiagnosticsTool),
  asAnyTool(editFileTool),
  asAnyTool(writeFileTool),
  asAnyTool(runCommandTool),
];

export type ToolMode = 'agent' | 'ask';

export function findTool(name: string): AnyTool | undefined {
  return ALL_TOOLS.find((tool) => tool.name === name);
}

/** Whether a tool may run at all in this mode and trust state (checked again on every call). */
export function isToolAvailable(tool: AnyTool, mode: ToolMode, trusted: boolean): boolean {
  if (!trusted) return false;
  return mode === 'agent' || tool.effect === 'read';
}

const offered = new Map<string, readonly ToolSpec[]>();

/** The same array for the same mode and trust, so its size estimate can be cached. */
export function offeredTools(mode: ToolMode, trusted: boolean): readonly ToolSpec[] {
  const key = `${mode}:${trusted}`;
  let specs = offered.get(key);
  if (specs === undefined) {
    specs = Object.freeze(ALL_TOOLS.filter((tool) => isToolAvailable(tool, mode, trusted)).map((tool) => tool.spec));
    offered.set(key, specs);
  }
  return specs;
}
