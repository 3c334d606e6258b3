// The names the model sees for MCP tools: `mcp__<server>__<tool>`, within what every provider accepts
// (OpenAI: `^[a-zA-Z0-9_-]{1,64}$`). A name is only ever turned back into a server and a tool through the
// map that made it — never by splitting the string — so a tool name full of `__` cannot pose as another.
import { createHash } from 'node:crypto';

export const MCP_TOOL_PREFIX = 'mcp__';
export const MAX_TOOL_NAME_LENGTH = 64;
export const PROVIDER_TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export interface McpToolRef {
  server: string;
  tool: string;
}

const UNSAFE = /[^A-Za-z0-9_-]/g;

function sanitize(text: string): string {
  return text.replace(UNSAFE, '_');
}

function digest(ref: McpToolRef, length: number): string {
  return createHash('sha256').update(ref.server).update('\u0000').update(ref.tool).digest('hex').slice(0, length);
}

/**
 * The plain name when server and tool are already safe and short enough. Otherwise a readable prefix and
 * a hash of the original pair, so two tools that sanitise alike (`a.b`, `a_b`) still get different names.
 */
function candidate(ref: McpToolRef, hashLength: number): string {
  const plain = `${MCP_TOOL_PREFIX}${ref.server}__${ref.tool}`;
  if (hashLength === 0) return plain;
  const suffix = `_${digest(ref, hashLength)}`;
  const readable = `${MCP_TOOL_PREFIX}${sanitize(ref.server)}__${sanitize(ref.tool)}`;
  return `${readable.slice(0, MAX_TOOL_NAME_LENGTH - suffix.length)}${suffix}`;
}

function needsHash(ref: McpToolRef): boolean {
  const plain = `${MCP_TOOL_PREFIX}${ref.server}__${ref.tool}`;
  return ref.tool === '' || sanitize(ref.server) !== ref.server || sanitize(ref.tool) !== ref.tool || !fits(plain);
}

function fits(name: string): boolean {
  return PROVIDER_TOOL_NAME.test(name);
}

const keyOf = (ref: McpToolRef): string => JSON.stringify([ref.server, ref.tool]);

/** A two-way map between (server, tool) pairs and provider-safe model names. */
export class McpToolNames {
  private readonly byName = new Map<string, McpToolRef>();
  private readonly byRef = new Map<string, string>();

  /** `refs` must not repeat a pair; the result does not depend on their order. */
  constructor(refs: readonly McpToolRef[]) {
    const sorted = [...refs].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
    // Plain names first, so they stay stable. They rarely collide (server `a_` + tool `b` and server `a` +
    // tool `_b` both read `mcp__a___b`); the later one in sorted order then gets a hashed name.
    const hashed: McpToolRef[] = [];
    for (const ref of sorted) {
      if (this.byRef.has(keyOf(ref))) continue;
      if (needsHash(ref) || this.byName.has(candidate(ref, 0))) hashed.push(ref);
      else this.assign(ref, candidate(ref, 0));
    }
    for (const ref of hashed) {
      if (this.byRef.has(keyOf(ref))) continue;
      // A longer hash only if a shorter one is taken (by a plain name that happens to end alike).
      let length = 8;
      while (this.byName.has(candidate(ref, length)) && length < 40) length += 4;
      const name = candidate(ref, length);
      if (this.byName.has(name)) continue; // a SHA-256 prefix collision of 40 hex digits: leave the tool out
      this.assign(ref, name);
    }
  }

  private assign(ref: McpToolRef, name: string): void {
    this.byName.set(name, ref);
    this.byRef.set(keyOf(ref), name);
  }

  /** The model's name for a tool, or undefined when it has none. */
  nameOf(ref: McpToolRef): string | undefined {
    return this.byRef.get(keyOf(ref));
  }

  /** The server and tool behind a model's name, or undefined for any name this map did not make. */
  resolve(name: string): McpToolRef | undefined {
    const ref = this.byName.get(name);
    return ref === undefined ? undefined : { ...ref };
  }

  get size(): number {
    return this.byName.size;
  }
}

/** Whether a name the model used is in the MCP namespace (built-in tools never start with `mcp__`). */
export function isMcpToolName(name: string): boolean {
  return name.startsWith(MCP_TOOL_PREFIX);
}
