// How a mention is written in a message: `@src/app.ts`, `@"docs/with space.md"`, `@src/app.ts#L3-7`,
// `@problems`, `@problems:src/app.ts`, `@selection`, `@terminal`, `@git`. One grammar for the composer's
// chips, the editor commands and the host, which finds the mentions in the text it is sent — nothing the
// webview claims about a mention is taken on faith.

export const SPECIAL_MENTIONS = ['problems', 'selection', 'terminal', 'git'] as const;
export type SpecialMention = (typeof SPECIAL_MENTIONS)[number];

export const SPECIAL_MENTION_DESCRIPTIONS: Record<SpecialMention, string> = {
  problems: 'Problems (errors and warnings) in the workspace',
  selection: "The active editor's selection",
  terminal: "The Warden terminal's last command and output",
  git: 'The working-tree diff (git diff)',
};

export type Mention =
  | { kind: 'path'; path: string; lines?: { start: number; end: number }; token: string }
  | { kind: 'problems'; path?: string; token: string }
  | { kind: 'selection' | 'terminal' | 'git'; token: string };

/** At most this many mentions in one message are resolved; the rest are reported, not read. */
export const MAX_MENTIONS = 20;

// `@` at the start or after whitespace/an opening bracket (not an e-mail address), then a quoted or bare token.
const MENTION = /(^|[\s([{])@(?:"([^"\n]{1,1000})"|([^\s"`'<>()[\]{}]{1,1000}))/g;
const LINES = /#L(\d{1,7})(?:-L?(\d{1,7}))?$/;
const TRAILING_PUNCTUATION = /[.,;:!?]+$/;

export function findMentions(text: string): Mention[] {
  const found: Mention[] = [];
  const seen = new Set<string>();
  for (const match of text.matchAll(MENTION)) {
    const quoted = match[2];
    const raw = quoted ?? match[3].replace(TRAILING_PUNCTUATION, '');
    const mention = parseMention(raw, `@${quoted !== undefined ? `"${quoted}"` : raw}`);
    if (mention === undefined) continue;
    const key = mentionKey(mention);
    if (seen.has(key)) continue;
    seen.add(key);
    found.push(mention);
  }
  return found;
}

function parseMention(raw: string, token: string): Mention | undefined {
  if (raw === '') return undefined;
  const [name, argument] = splitSpecial(raw);
  if ((SPECIAL_MENTIONS as readonly string[]).includes(name)) {
    if (name === 'problems')
      return argument ? { kind: 'problems', path: argument, token } : { kind: 'problems', token };
    if (argument === undefined) return { kind: name as 'selection' | 'terminal' | 'git', token };
  }
  const lines = LINES.exec(raw);
  if (lines === null) return { kind: 'path', path: raw, token };
  const start = Number(lines[1]);
  const end = lines[2] === undefined ? start : Number(lines[2]);
  const path = raw.slice(0, lines.index);
  if (path === '' || start < 1 || end < start) return { kind: 'path', path: raw, token };
  return { kind: 'path', path, lines: { start, end }, token };
}

function splitSpecial(raw: string): [string, string | undefined] {
  const colon = raw.indexOf(':');
  return colon < 0 ? [raw, undefined] : [raw.slice(0, colon), raw.slice(colon + 1) || undefined];
}

function mentionKey(mention: Mention): string {
  if (mention.kind === 'path')
    return `path:${mention.path}#${mention.lines ? `${mention.lines.start}-${mention.lines.end}` : ''}`;
  if (mention.kind === 'problems') return `problems:${mention.path ?? ''}`;
  return mention.kind;
}

/** The text to insert for a path (quoted when it holds characters a bare token cannot). */
export function pathMention(path: string, lines?: { start: number; end: number }): string {
  const range =
    lines === undefined ? '' : lines.start === lines.end ? `#L${lines.start}` : `#L${lines.start}-${lines.end}`;
  const body = `${path}${range}`;
  return /^[^\s"`'<>()[\]{}]+$/.test(body) && !TRAILING_PUNCTUATION.test(body) ? `@${body}` : `@"${body}"`;
}
