// `warden.mcp.autoApprove` (user settings only): MCP tools that run without a card, written
// `"<server>__<tool>"` for one tool or `"<server>__*"` for every tool of a server. Entries are exact: a
// partial wildcard (`github__get_*`) would allow tools the server adds later under a matching name, so it
// is refused and grants nothing.
import type { DecisionSource } from '../policy/decision';
import { SERVER_NAME_PATTERN } from './serverConfig';

export interface AutoApproveEntry {
  server: string;
  /** A tool name, or '*' for every tool of the server. */
  tool: string;
  /** The entry as written, for the decision's rule. */
  value: string;
  source: DecisionSource;
}

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/** The entry for a written value, or the reason it grants nothing. */
export function parseAutoApproveEntry(
  value: string,
  source: DecisionSource = 'user',
): { ok: true; entry: AutoApproveEntry } | { ok: false; message: string } {
  const text = value.trim();
  const split = text.indexOf('__');
  if (split <= 0 || split + 2 >= text.length)
    return { ok: false, message: `\`${value}\` is not \`<server>__<tool>\` or \`<server>__*\`` };
  const server = text.slice(0, split);
  const tool = text.slice(split + 2);
  if (!SERVER_NAME_PATTERN.test(server)) return { ok: false, message: `\`${server}\` is not a server name` };
  if (CONTROL_CHARS.test(tool)) return { ok: false, message: `\`${value}\` contains a control character` };
  if (tool !== '*' && tool.includes('*'))
    return {
      ok: false,
      message: `\`${value}\`: a wildcard stands only for a whole server (\`${server}__*\`), never part of a tool name`,
    };
  return { ok: true, entry: { server, tool, value: text, source } };
}

/** The entry that lets this tool run without asking, or undefined. */
export function matchAutoApprove(
  entries: readonly AutoApproveEntry[],
  server: string,
  tool: string,
): AutoApproveEntry | undefined {
  return (
    entries.find((e) => e.server === server && e.tool === tool) ??
    entries.find((e) => e.server === server && e.tool === '*')
  );
}

/** What "Always allow this tool" on a card writes to the user setting. */
export function autoApproveValue(server: string, tool: string): string {
  return `${server}__${tool}`;
}
