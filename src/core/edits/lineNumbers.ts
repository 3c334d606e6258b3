// Line-number prefixes: the one definition of how read_file numbers lines, and the removal of that prefix (and the
// forms other tools print) when a model copies it into edit_file's old_text and new_text.

/** read_file's separator (U+2502): a box-drawing bar that source text practically never has after a number. */
export const LINE_NUMBER_SEPARATOR = '│';
const MIN_NUMBER_WIDTH = 4;

/** Width of the right-aligned number column for a page ending at `lastLine`. */
export function lineNumberWidth(lastLine: number): number {
  return Math.max(MIN_NUMBER_WIDTH, String(lastLine).length);
}

/** `   12│text`: everything after the first separator is the line exactly. */
export function numberedLine(lineNumber: number, width: number, text: string): string {
  return `${String(lineNumber).padStart(width)}${LINE_NUMBER_SEPARATOR}${text}`;
}

/**
 * The prefixes recognised, tried in this order: read_file's own, `→` (other agents' readers), a tab (`cat -n`),
 * `: ` and `:` (`grep -n`, listings). The first two never occur in code after a bare number, so on new_text they
 * are removed line by line; the others are removed only when every line of new_text carries them.
 */
const FORMS = [
  { separator: LINE_NUMBER_SEPARATOR, unmistakable: true },
  { separator: '→', unmistakable: true },
  { separator: '\t', unmistakable: false },
  { separator: ': ', unmistakable: false },
  { separator: ':', unmistakable: false },
] as const;

export type LineNumberForm = (typeof FORMS)[number];

export interface StrippedLineNumbers {
  text: string;
  form: LineNumberForm;
  /** The number on old_text's first numbered line, made 0-based for the line it names. */
  firstLine: number;
}

/** Number prefix of one line: leading spaces, digits, the separator. */
function prefixPattern(form: LineNumberForm): RegExp {
  const separator = form.separator === '\t' ? '\\t' : form.separator;
  return new RegExp(`^ *(\\d{1,9})${separator}`);
}

// A numbered blank line may lose its separator or trailing space when copied: `  12`, `12:`.
const NUMBERED_BLANK = /^ *(\d{1,9})(?:[│→:]| *)$/;

/**
 * old_text with a line-number prefix removed from every line, once per form that every non-blank line carries with
 * numbers counting up one per line (`12:  x` reads as `12: ` then ` x`, or as `12:` then `  x`); empty when none does
 * (the quote is then taken as written).
 */
export function stripLineNumbers(lfText: string): StrippedLineNumbers[] {
  const readings: StrippedLineNumbers[] = [];
  if (!/^ *\d/m.test(lfText)) return readings;
  const lines = lfText.split('\n');
  const trailingBreak = lines.length > 1 && lines[lines.length - 1] === '';
  if (trailingBreak) lines.pop();
  for (const form of FORMS) {
    const pattern = prefixPattern(form);
    const out: string[] = [];
    let first: number | undefined;
    let prefixedLines = 0;
    let consistent = true;
    for (let i = 0; i < lines.length && consistent; i++) {
      const line = lines[i];
      const prefixed = pattern.exec(line);
      const numbered = prefixed ?? NUMBERED_BLANK.exec(line);
      if (numbered === null) {
        // A blank line copied without its number still counts as a line.
        consistent = line.trim() === '';
        out.push('');
        continue;
      }
      if (prefixed !== null) prefixedLines++;
      const number = Number(numbered[1]);
      first ??= number - i;
      consistent = number === first + i;
      out.push(prefixed === null ? '' : line.slice(prefixed[0].length));
    }
    if (consistent && prefixedLines > 0 && first !== undefined && first >= 1)
      readings.push({ text: out.join('\n') + (trailingBreak ? '\n' : ''), form, firstLine: first - 1 });
  }
  return readings;
}

/**
 * new_text with the prefix old_text carried removed. A line counts as numbered only with a number near the ones
 * old_text carried (`quoted` lines from `firstLine`, 1-based): `  201: Created` added to a YAML map is content.
 * Undefined when new_text carries an ambiguous form on only some of its lines: which of the others are content
 * cannot be told, so the block is refused.
 */
export function stripLineNumbersLike(
  lfText: string,
  form: LineNumberForm,
  quoted: { firstLine: number; lines: number },
): string | undefined {
  const pattern = prefixPattern(form);
  const lines = lfText.split('\n');
  const plausible = (digits: string) => {
    const number = Number(digits);
    return number >= quoted.firstLine - 1 && number <= quoted.firstLine + Math.max(quoted.lines, lines.length) + 1;
  };
  let numbered = 0;
  let unnumbered = 0;
  const out = lines.map((line) => {
    const match = pattern.exec(line);
    if (match !== null && plausible(match[1])) {
      numbered++;
      return line.slice(match[0].length);
    }
    const blank = NUMBERED_BLANK.exec(line);
    if (blank !== null && line.trim() !== '' && plausible(blank[1])) {
      numbered++;
      return '';
    }
    if (line.trim() !== '') unnumbered++;
    return line;
  });
  if (numbered === 0) return lfText;
  if (unnumbered > 0 && !form.unmistakable) return undefined;
  return out.join('\n');
}
