// What the user sees must be what runs (threat class 14): control, zero-width and direction-changing
// characters in a command or path are shown as escapes (`U+202E`), never passed through to a screen.
// The characters are the ones path canonicalisation refuses, defined once in canonicalPath.ts.
import { CONTROL, INVISIBLE } from './canonicalPath';

export type VisibleSegment =
  | { kind: 'text'; text: string }
  /** One hidden character: `label` is `U+202E`, `name` what it does when one is known. */
  | { kind: 'escaped'; label: string; name?: string };

const HIDDEN = new RegExp(`${CONTROL.source}|${INVISIBLE.source}`, 'g');

const NAMES: Readonly<Record<number, string>> = {
  0x00: 'NUL',
  0x09: 'tab',
  0x0a: 'line feed',
  0x0d: 'carriage return',
  0x1b: 'escape',
  0x7f: 'delete',
  0xad: 'soft hyphen',
  0x061c: 'Arabic letter mark',
  0x200b: 'zero-width space',
  0x200c: 'zero-width non-joiner',
  0x200d: 'zero-width joiner',
  0x200e: 'left-to-right mark',
  0x200f: 'right-to-left mark',
  0x2028: 'line separator',
  0x2029: 'paragraph separator',
  0x202a: 'left-to-right embedding',
  0x202b: 'right-to-left embedding',
  0x202c: 'pop directional formatting',
  0x202d: 'left-to-right override',
  0x202e: 'right-to-left override',
  0x2060: 'word joiner',
  0x2066: 'left-to-right isolate',
  0x2067: 'right-to-left isolate',
  0x2068: 'first strong isolate',
  0x2069: 'pop directional isolate',
  0xfeff: 'zero-width no-break space',
};

function label(char: string): string {
  return `U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * What may stay as it is: with `keepNewlines`, a line feed stays a line break (a multi-line command is shown
 * on several lines, which is what it is); with `keepTabs`, a tab stays a tab (server descriptions, diffs).
 */
export interface VisibleOptions {
  keepNewlines?: boolean;
  keepTabs?: boolean;
}

/** `text` cut into plain runs and escaped hidden characters. */
export function visibleSegments(text: string, options: VisibleOptions = {}): VisibleSegment[] {
  const segments: VisibleSegment[] = [];
  let start = 0;
  for (const match of text.matchAll(HIDDEN)) {
    const char = match[0];
    if (options.keepNewlines && char === '\n') continue;
    if (options.keepTabs && char === '\t') continue;
    const at = match.index ?? 0;
    if (at > start) segments.push({ kind: 'text', text: text.slice(start, at) });
    const name = NAMES[char.charCodeAt(0)];
    segments.push(
      name === undefined ? { kind: 'escaped', label: label(char) } : { kind: 'escaped', label: label(char), name },
    );
    start = at + char.length;
  }
  if (start < text.length) segments.push({ kind: 'text', text: text.slice(start) });
  return segments;
}

/** Plain-text form for a terminal or a message box: each hidden character becomes `⟨U+202E⟩`. */
export function escapeHidden(text: string, options: VisibleOptions = {}): string {
  return visibleSegments(text, options)
    .map((segment) => (segment.kind === 'text' ? segment.text : `⟨${segment.label}⟩`))
    .join('');
}

/** Whether the text holds a character a screen would hide or that reorders what is shown (line feeds and tabs
 *  aside). */
export function hasHiddenCharacters(text: string): boolean {
  // Called for every command decision: one regex pass over text, no segments built. Printable ASCII, tabs and
  // line feeds (nearly every command) hold none: a plain character class answers that faster.
  if (!NOT_PLAIN_ASCII.test(text)) return false;
  HIDDEN_NOT_LAYOUT.lastIndex = 0;
  return HIDDEN_NOT_LAYOUT.test(text);
}

const NOT_PLAIN_ASCII = /[^\x20-\x7e\t\n]/;
const HIDDEN_NOT_LAYOUT = new RegExp(`(?![\\n\\t])(?:${CONTROL.source}|${INVISIBLE.source})`);

/** Text from elsewhere (a server's description, arguments) as a card shows it: layout kept, hidden characters
 *  escaped. */
export function visibleText(text: string): string {
  return escapeHidden(text, { keepNewlines: true, keepTabs: true });
}
