// A `tools/call` result as text for the model. Text is kept; images, audio and binary resources cannot go
// into a text conversation, so each is replaced by a one-line note saying what it was — never dropped
// silently, or the model would answer as if the tool returned nothing. The whole is capped like any tool
// output (the loop then redacts it).
import { truncateForModel } from '../policy/limits';
import type { McpCallResult, McpContent } from './mcpTypes';

export interface ResultText {
  text: string;
  /** One line per block that was summarised instead of shown (for the transcript). */
  notes: string[];
  truncated: boolean;
}

function approximateBytes(base64: string): string {
  const bytes = Math.floor((base64.replace(/=+$/, '').length * 3) / 4);
  return bytes < 1024 ? `${bytes} bytes` : `${(bytes / 1024).toFixed(1)} KB`;
}

function oneLine(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function blockText(block: McpContent, notes: string[]): string {
  switch (block.type) {
    case 'text':
      return block.text;
    case 'image':
    case 'audio': {
      const what = `${oneLine(block.mimeType, 80)}, ${approximateBytes(block.data)}`;
      const note = `[${block.type} (${what}) not shown to the model]`;
      notes.push(note);
      return note;
    }
    case 'resource_link': {
      const what = [block.name, block.mimeType].filter((x) => x !== undefined).map((x) => oneLine(x, 80));
      const note =
        `[resource link: ${oneLine(block.uri)}${what.length > 0 ? ` (${what.join(', ')})` : ''}` +
        `${block.description === undefined ? '' : ` — ${oneLine(block.description)}`}]`;
      return note;
    }
    case 'resource': {
      const { uri, mimeType, text, blob } = block.resource;
      const head = `${oneLine(uri)}${mimeType === undefined ? '' : ` (${oneLine(mimeType, 80)})`}`;
      if (text !== undefined) return `[resource ${head}]\n${text}`;
      const size = blob === undefined ? 'no content' : approximateBytes(blob);
      const note = `[resource ${head}: ${size} binary, not shown]`;
      notes.push(note);
      return note;
    }
    case 'unknown': {
      const note = `[content of type "${oneLine(block.kind, 40)}" not shown: Warden cannot read it]`;
      notes.push(note);
      return note;
    }
  }
}

export function resultToText(result: McpCallResult, maxChars: number): ResultText {
  const notes: string[] = [];
  const parts = result.content.map((block) => blockText(block, notes));
  if (parts.length === 0 && result.structuredContent !== undefined) {
    parts.push(JSON.stringify(result.structuredContent, null, 2) ?? String(result.structuredContent));
  }
  let body = parts.length === 0 ? '(the tool returned no content)' : parts.join('\n');
  if (result.isError) body = `The tool reported an error:\n${body}`;
  const capped = truncateForModel(body, maxChars);
  return { text: capped.text, notes, truncated: capped.truncated };
}
