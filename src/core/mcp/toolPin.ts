// Tool pinning: the tool list a user accepted (names, descriptions, input schemas, hints) is remembered as
// a hash plus the texts. A server that later changes them — a "rug pull": a harmless description swapped
// for injected instructions after approval — has its tools withheld until the user reviews the change,
// which is shown as a diff of the descriptions.
import { createHash } from 'node:crypto';
import { diffLines } from 'diff';
import { canonicalJson } from '../policy/limits';
import type { McpToolInfo } from './mcpTypes';

export interface PinnedTool {
  name: string;
  title?: string;
  description: string;
  /** SHA-256 of the canonical input schema (parameter descriptions are model-facing text too). */
  schemaHash: string;
  readOnlyHint: boolean;
  destructiveHint: boolean;
}

export interface ToolPin {
  /** SHA-256 over every pinned tool, sorted by name. */
  hash: string;
  tools: PinnedTool[];
}

export interface ChangedTool {
  name: string;
  before: PinnedTool;
  after: PinnedTool;
  changes: Array<'title' | 'description' | 'input schema' | 'read-only hint' | 'destructive hint'>;
}

export interface ToolListDiff {
  added: PinnedTool[];
  removed: PinnedTool[];
  changed: ChangedTool[];
}

export type PinCheck =
  /** Nothing was pinned for this server yet: `pin` is what to remember once the tools are accepted. */
  | { status: 'first-use'; pin: ToolPin }
  | { status: 'unchanged'; pin: ToolPin }
  /** Withhold the server's tools until the user accepts `pin` after seeing `diff`. */
  | { status: 'changed'; pin: ToolPin; diff: ToolListDiff };

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export function pinnedTool(tool: McpToolInfo): PinnedTool {
  return {
    name: tool.name,
    ...(tool.title === undefined ? {} : { title: tool.title }),
    description: tool.description,
    schemaHash: sha256(canonicalJson(tool.inputSchema)),
    readOnlyHint: tool.annotations?.readOnlyHint === true,
    destructiveHint: tool.annotations?.destructiveHint === true,
  };
}

export function pinTools(tools: readonly McpToolInfo[]): ToolPin {
  const pinned = tools.map(pinnedTool).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { hash: sha256(canonicalJson(pinned)), tools: pinned };
}

/** A stored pin as read back from storage, or undefined when it does not have the expected shape. */
export function readStoredPin(value: unknown): ToolPin | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { hash, tools } = value as { hash?: unknown; tools?: unknown };
  if (typeof hash !== 'string' || !Array.isArray(tools)) return undefined;
  const valid = tools.every(
    (t: unknown) =>
      typeof t === 'object' &&
      t !== null &&
      typeof (t as PinnedTool).name === 'string' &&
      typeof (t as PinnedTool).description === 'string' &&
      typeof (t as PinnedTool).schemaHash === 'string',
  );
  if (!valid) return undefined;
  return { hash, tools: tools as PinnedTool[] };
}

export function diffToolLists(before: ToolPin, after: ToolPin): ToolListDiff {
  const old = new Map(before.tools.map((t) => [t.name, t]));
  const now = new Map(after.tools.map((t) => [t.name, t]));
  const diff: ToolListDiff = { added: [], removed: [], changed: [] };
  for (const tool of after.tools) if (!old.has(tool.name)) diff.added.push(tool);
  for (const tool of before.tools) if (!now.has(tool.name)) diff.removed.push(tool);
  for (const tool of after.tools) {
    const was = old.get(tool.name);
    if (was === undefined) continue;
    const changes: ChangedTool['changes'] = [];
    if ((was.title ?? '') !== (tool.title ?? '')) changes.push('title');
    if (was.description !== tool.description) changes.push('description');
    if (was.schemaHash !== tool.schemaHash) changes.push('input schema');
    if (was.readOnlyHint !== tool.readOnlyHint) changes.push('read-only hint');
    if (was.destructiveHint !== tool.destructiveHint) changes.push('destructive hint');
    if (changes.length > 0) diff.changed.push({ name: tool.name, before: was, after: tool, changes });
  }
  return diff;
}

/** Compares the server's current tools with what the user accepted. */
export function checkPin(accepted: ToolPin | undefined, tools: readonly McpToolInfo[]): PinCheck {
  const pin = pinTools(tools);
  if (accepted === undefined) return { status: 'first-use', pin };
  const diff = diffToolLists(accepted, pin);
  const same = diff.added.length === 0 && diff.removed.length === 0 && diff.changed.length === 0;
  // The stored hash is compared too: a pin whose texts match but whose hash does not was tampered with.
  if (same && accepted.hash === pin.hash) return { status: 'unchanged', pin };
  return { status: 'changed', pin, diff };
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');
}

/** Lines of `before` and `after` marked `-`/`+` (unchanged lines with two spaces), for a description. */
export function textDiff(before: string, after: string): string {
  const out: string[] = [];
  // Both end with a newline, so a last line that gained a successor is not shown as changed.
  for (const part of diffLines(`${before}\n`, `${after}\n`)) {
    const marker = part.added ? '+ ' : part.removed ? '- ' : '  ';
    const body = part.value.endsWith('\n') ? part.value.slice(0, -1) : part.value;
    out.push(indent(body, marker));
  }
  return out.join('\n');
}

/** The review text for a changed server: what was added, removed and changed, descriptions as diffs. */
export function describeToolListDiff(server: string, diff: ToolListDiff): string {
  const sections: string[] = [`MCP server "${server}" changed its tools since you accepted them.`];
  for (const tool of diff.added) sections.push(`Added tool ${tool.name}:\n${indent(tool.description, '+ ')}`);
  for (const tool of diff.removed) sections.push(`Removed tool ${tool.name}.`);
  for (const change of diff.changed) {
    const lines = [`Changed tool ${change.name} (${change.changes.join(', ')}):`];
    if (change.changes.includes('description'))
      lines.push(textDiff(change.before.description, change.after.description));
    if (change.changes.includes('title'))
      lines.push(`title: ${change.before.title ?? '—'} → ${change.after.title ?? '—'}`);
    if (change.changes.includes('read-only hint'))
      lines.push(`read-only hint: ${change.before.readOnlyHint} → ${change.after.readOnlyHint}`);
    if (change.changes.includes('destructive hint'))
      lines.push(`destructive hint: ${change.before.destructiveHint} → ${change.after.destructiveHint}`);
    sections.push(lines.join('\n'));
  }
  return sections.join('\n\n');
}
