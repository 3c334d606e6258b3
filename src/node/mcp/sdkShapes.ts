// From the SDK's parsed messages to the core's plain data. The SDK checks the protocol's shapes; this
// keeps only what the core uses and never trusts a field to be what its name says (a server is untrusted).
import type { McpCallResult, McpContent, McpToolInfo } from '../../core/mcp/mcpTypes';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const bool = (value: unknown): boolean | undefined => (typeof value === 'boolean' ? value : undefined);

/** A listed tool, or undefined when it has no name or no object schema. */
export function toToolInfo(raw: unknown): McpToolInfo | undefined {
  if (!isRecord(raw)) return undefined;
  const name = str(raw.name);
  if (name === undefined || name === '' || name.length > 256 || !isRecord(raw.inputSchema)) return undefined;
  const info: McpToolInfo = { name, description: str(raw.description) ?? '', inputSchema: raw.inputSchema };
  const title = str(raw.title);
  if (title !== undefined) info.title = title;
  if (isRecord(raw.annotations)) {
    const a = raw.annotations;
    const annotations: NonNullable<McpToolInfo['annotations']> = {};
    const annotationTitle = str(a.title);
    if (annotationTitle !== undefined) annotations.title = annotationTitle;
    for (const key of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) {
      const value = bool(a[key]);
      if (value !== undefined) annotations[key] = value;
    }
    info.annotations = annotations;
  }
  return info;
}

function toContent(block: unknown): McpContent {
  if (!isRecord(block)) return { type: 'unknown', kind: typeof block };
  const type = str(block.type) ?? 'missing';
  switch (type) {
    case 'text': {
      const text = str(block.text);
      return text === undefined ? { type: 'unknown', kind: 'text without text' } : { type: 'text', text };
    }
    case 'image':
    case 'audio':
      return { type, mimeType: str(block.mimeType) ?? 'unknown type', data: str(block.data) ?? '' };
    case 'resource_link': {
      const uri = str(block.uri) ?? '';
      const link: McpContent = { type: 'resource_link', uri };
      for (const key of ['name', 'mimeType', 'description'] as const) {
        const value = str(block[key]);
        if (value !== undefined) link[key] = value;
      }
      return link;
    }
    case 'resource': {
      if (!isRecord(block.resource)) return { type: 'unknown', kind: 'resource without content' };
      const r = block.resource;
      const resource: Extract<McpContent, { type: 'resource' }>['resource'] = { uri: str(r.uri) ?? '' };
      const mimeType = str(r.mimeType);
      const text = str(r.text);
      const blob = str(r.blob);
      if (mimeType !== undefined) resource.mimeType = mimeType;
      if (text !== undefined) resource.text = text;
      if (blob !== undefined) resource.blob = blob;
      return { type: 'resource', resource };
    }
    default:
      return { type: 'unknown', kind: type };
  }
}

/** A `tools/call` result; the legacy `{ toolResult }` shape becomes structured content. */
export function toCallResult(raw: unknown): McpCallResult {
  if (!isRecord(raw)) return { content: [{ type: 'unknown', kind: typeof raw }], isError: true };
  const content = Array.isArray(raw.content) ? raw.content.map(toContent) : [];
  const result: McpCallResult = { content, isError: raw.isError === true };
  if (raw.structuredContent !== undefined) result.structuredContent = raw.structuredContent;
  else if (raw.toolResult !== undefined && content.length === 0) result.structuredContent = raw.toolResult;
  return result;
}
