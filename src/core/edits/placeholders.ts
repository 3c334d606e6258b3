// Detects omission placeholders ("// ... existing code ...") that a model writes instead of real content.
// Applied verbatim they silently delete the code they stand for, so write_file and edit blocks refuse them.
// Patterns are anchored to whole comments or lines: a sentence that merely mentions "the rest" is content.

const STRONG_QUALIFIER = String.raw`(?:existing|remaining|previous|prior|original|rest|remainder|unchanged)`;
const WEAK_QUALIFIER = String.raw`(?:other|more|additional|old|same|similar)`;
const NOUN = String.raw`(?:code|content|contents|implementations?|logic|methods?|functions?|imports?|tests?|cases?|lines?|propert(?:y|ies)|props|fields?|styles?|rules?|config(?:uration)?|settings|entries|items?|members?|exports?|routes?|components?|handlers?|declarations?|definitions?|statements?|body|file|class(?:es)?|modules?|sections?|parts?|stuff|text|markup|html|css|setup|helpers?|functionality|data|values?|keys?|options|params|parameters|arguments|elements?|nodes?|tags?|attributes?|steps?|blocks?|checks?)`;
const STATUS =
  String.raw`(?:(?:is |are |was |were |remains? |stays? |left |kept |goes |go )?(?:unchanged|the ` +
  `same|as before|as is|as-is|intact|untouched|unmodified|omitted|elided|skipped|not ` +
  `shown|preserved|here)|(?:omitted |elided |skipped |truncated )?for brevity|same as before)`;
const STANDALONE =
  String.raw`(?:unchanged|no changes?|same as before|as before|(?:code ` +
  `)?(?:omitted|elided|truncated|snipped)(?: for brevity)?|for brevity|not shown|snip|and so on|etc|and more|so on)`;

// The whole comment (or ellipsis-framed line) must be the placeholder: at most a few filler words around it.
const STRONG = new RegExp(
  String.raw`^(?:(?:keep|keeping|with|plus|and|then|insert|include)(?: all)? )?(?:the |all )?(?:` +
    String.raw`${STRONG_QUALIFIER}(?: of)?(?: (?:the|this|your|my|its|our))?(?: [\w'-]+){0,2}? ${NOUN}(?: ${STATUS})?` +
    String.raw`|(?:rest|remainder)(?: of (?:the |this )?(?:[\w'-]+ ){0,2}?[\w'-]+)?(?: ${STATUS})` +
    String.raw`|${WEAK_QUALIFIER}(?: [\w'-]+){0,2}? ${NOUN} ${STATUS}` +
    String.raw`|(?:[\w'-]+ )?${NOUN} (?:is |are |remains? |stays? )?(?:unchanged|the same|as ` +
    `before|omitted|elided|not shown)(?: for brevity)?` +
    String.raw`|${STANDALONE})$`,
);
// With an ellipsis the bar is lower: "... other methods", "... more tests".
const WITH_ELLIPSIS = new RegExp(
  String.raw`^(?:${STRONG_QUALIFIER}|${WEAK_QUALIFIER}|${NOUN}|${STATUS}|${STANDALONE})\b`,
);

const ELLIPSIS = /\.{3,}|…|\. \. \./;
const PROSE_EXTENSIONS = new Set([
  'md',
  'markdown',
  'mdx',
  'txt',
  'text',
  'rst',
  'adoc',
  'asciidoc',
  'org',
  'tex',
  'textile',
  'wiki',
]);

export interface PlaceholderOptions {
  /** The file's path, when known: bare `...` lines are content in prose files (Markdown, text). */
  path?: string;
}

/**
 * Returns the first line of `text` (trimmed) that is an omission placeholder, or undefined.
 * A line that already occurs in `original` (same text once trimmed) is content the file had, not an omission:
 * a Python stub `...` or a `// ...` the author wrote themselves.
 */
export function findPlaceholder(text: string, original?: string, options: PlaceholderOptions = {}): string | undefined {
  if (!ELLIPSIS.test(text) && !mayHoldWordPlaceholder(text)) return undefined;
  const lines = text.split(/\r\n?|\n/);
  let prose: boolean | undefined;
  let originalLines: Set<string> | undefined;
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed.length === 0) continue;
    let flagged = isPlaceholderLine(trimmed);
    if (!flagged && isBareEllipsis(trimmed)) {
      prose ??= isProse(lines, options.path);
      flagged = !prose;
    }
    if (!flagged) continue;
    originalLines ??= new Set((original ?? '').split(/\r\n?|\n/).map((l) => l.trim()));
    if (!originalLines.has(trimmed)) return trimmed;
  }
  return undefined;
}

// Cheap pre-filter: placeholders without an ellipsis always contain one of these words.
function mayHoldWordPlaceholder(text: string): boolean {
  return /unchanged|existing|remaining|rest\b|remainder|previous|prior|original|brevity|omitted|elided|same|before|snip|no change|not shown|so on|etc|intact|untouched|preserved|here/i.test(
    text,
  );
}

function isBareEllipsis(trimmed: string): boolean {
  return /^(?:\.{3,}|…|\. \. \.)$/.test(trimmed);
}

function isPlaceholderLine(trimmed: string): boolean {
  if (/^\[\s*(?:\.{3,}|…)\s*\]$/.test(trimmed)) return true;
  // `{ ... }` / `{/* ... */}` as a body is never valid code: spread needs an operand.
  if (/\{\s*(?:\.{3,}|…)\s*\}/.test(trimmed)) return true;
  const comment = leadingComment(trimmed);
  if (comment !== undefined) return isPlaceholderPhrase(comment.body, comment.lenient);
  const trailing = trailingComment(trimmed);
  if (trailing !== undefined && ELLIPSIS.test(trailing) && isPlaceholderPhrase(trailing, true)) return true;
  // An uncommented "... rest of code ..." line; `...rest` (spread, no space) is code.
  if (/^(?:\.{3,}|…)\s|\s(?:\.{3,}|…)$/.test(trimmed)) return isPlaceholderPhrase(trimmed, true);
  return false;
}

interface CommentBody {
  body: string;
  /** `*` and `-` also start list items, so there only an ellipsis marks a placeholder. */
  lenient: boolean;
}

function leadingComment(trimmed: string): CommentBody | undefined {
  const wrapped = /^(?:<!--([\s\S]*?)-->|\{\/\*([\s\S]*?)\*\/\}|\/\*([\s\S]*?)\*\/|\(\*([\s\S]*?)\*\))$/.exec(trimmed);
  if (wrapped) return { body: wrapped[1] ?? wrapped[2] ?? wrapped[3] ?? wrapped[4] ?? '', lenient: true };
  const opening = /^(?:<!--|\/\*+|\{\/\*)(.*)$/.exec(trimmed);
  if (opening) return { body: opening[1] ?? '', lenient: true };
  const line = /^(?:\/\/+!?|#+(?!\[|!)|--(?!-)|;+|%+|'(?=\s)|rem\s)(.*)$/i.exec(trimmed);
  if (line) return { body: line[1] ?? '', lenient: true };
  const continuation = /^\*(?!\/)(.*)$/.exec(trimmed);
  if (continuation) return { body: continuation[1] ?? '', lenient: false };
  return undefined;
}

// `//` after code (not inside `https://`), `/* */`, `<!-- -->`, ` # `.
function trailingComment(trimmed: string): string | undefined {
  const match = /(?:^|[\s;,{}()[\]])(?:\/\/|#)\s(.*)$|\/\*(.*?)\*\/|<!--(.*?)-->/.exec(trimmed);
  if (!match) return undefined;
  return match[1] ?? match[2] ?? match[3] ?? '';
}

function isPlaceholderPhrase(raw: string, lenient: boolean): boolean {
  const hadEllipsis = ELLIPSIS.test(raw);
  const phrase = raw
    .toLowerCase()
    .replace(/\*\/$|-->$/, '')
    .replace(/\.{3,}|…|\. \. \./g, ' ')
    .replace(/[[\](){}<>"`*_:;,.!?=~|-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (phrase.length === 0) return hadEllipsis;
  if (phrase.split(' ').length > 10) return false;
  if (hadEllipsis && WITH_ELLIPSIS.test(phrase)) return true;
  return lenient && STRONG.test(phrase);
}

function isProse(lines: readonly string[], path: string | undefined): boolean {
  if (path !== undefined) {
    const name = path.slice(path.lastIndexOf('/') + 1);
    const dot = name.lastIndexOf('.');
    return dot > 0 && PROSE_EXTENSIONS.has(name.slice(dot + 1).toLowerCase());
  }
  // Unknown file type: call it code when a fair share of lines end or start the way code does.
  let content = 0;
  let code = 0;
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed.length === 0 || isBareEllipsis(trimmed)) continue;
    content++;
    if (
      /[;{}()[\],]$|^(?:def|class|function|import|from|return|const|let|var|fn|pub|package|func|if|for|while|export|#include|public|private)\b|=>|\w\(.*\)/.test(
        trimmed,
      )
    )
      code++;
  }
  return content > 0 && code / content < 0.3;
}
