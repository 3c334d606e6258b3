// Indentation when old_text was found at a different indentation than it was quoted with: how the quote's indents
// map onto the file's, so new_text is written in the file's convention. Tabs stay tabs, and a line aligned with
// spaces inside a tab-indented block (` * ` under `/**`, a continuation line) keeps its alignment.

export const indentOf = (line: string): string => /^[ \t]*/.exec(line)?.[0] ?? '';

/** Columns an indent covers with tabs every `tab` columns. */
export function renderedWidth(indent: string, tab: number): number {
  let width = 0;
  for (let i = 0; i < indent.length; i++) width = indent.charCodeAt(i) === 9 ? width - (width % tab) + tab : width + 1;
  return width;
}

/** Tab widths a model renders tabs with, most common first. */
const TAB_WIDTHS = [4, 8, 2] as const;

/** An indent in the quote and the indent of the file line it was found at. */
export type IndentPair = readonly [quote: string, file: string];

/**
 * The tab width at which every quoted indent covers the same columns as the file's: the quote differs from the file
 * only in writing tabs as spaces (or spaces as tabs). Undefined when no width makes them all equal.
 */
export function tabWidthMakingEqual(pairs: readonly IndentPair[]): number | undefined {
  return TAB_WIDTHS.find((tab) => pairs.every(([q, f]) => renderedWidth(q, tab) === renderedWidth(f, tab)));
}

/**
 * A function from an indent as new_text writes it to the indent the file wants there. An indent old_text used maps
 * to the file's indent of the line it was found at; others follow the first rule every pair agrees with: the same
 * indents; a prefix added or removed; equal columns at some tab width (plus a constant shift); a different step per
 * level (2 vs 4 spaces, tabs vs spaces). `fileUnit` (the file's own step) is only asked when the pairs cannot tell.
 */
export function indentMapping(pairs: readonly IndentPair[], fileUnit: () => string): (indent: string) => string {
  const known = new Map<string, string>();
  for (const [q, f] of pairs) if (!known.has(q)) known.set(q, f);
  const rule = mappingRule(pairs, fileUnit);
  return (indent) => known.get(indent) ?? rule(indent);
}

function mappingRule(pairs: readonly IndentPair[], fileUnit: () => string): (indent: string) => string {
  if (pairs.length === 0 || pairs.every(([q, f]) => q === f)) return (indent) => indent;
  const [quoteBase, fileBase] = pairs[0];
  if (fileBase.endsWith(quoteBase)) {
    const added = fileBase.slice(0, fileBase.length - quoteBase.length);
    if (pairs.every(([q, f]) => f === added + q)) return (indent) => added + indent;
  }
  if (quoteBase.endsWith(fileBase)) {
    const removed = quoteBase.slice(0, quoteBase.length - fileBase.length);
    if (pairs.every(([q, f]) => q === removed + f))
      return (indent) =>
        indent.startsWith(removed)
          ? indent.slice(removed.length)
          : indent.slice(Math.min(indent.length, removed.length));
  }
  const fileUsesTabs = pairs.some(([, f]) => f.includes('\t'));
  const columns = columnRule(pairs, fileUsesTabs);
  if (columns) return columns;
  return levelRule(pairs, fileUsesTabs, fileUnit);
}

// The quote renders the file's indentation at some tab width, maybe shifted by a constant number of columns (its
// base indentation left out or added). Equal columns without a shift are preferred, then the common tab widths.
function columnRule(pairs: readonly IndentPair[], fileUsesTabs: boolean): ((indent: string) => string) | undefined {
  const [quoteBase, fileBase] = pairs[0];
  const shifts = TAB_WIDTHS.map((tab) => ({ tab, shift: 0 })).concat(
    TAB_WIDTHS.map((tab) => ({ tab, shift: renderedWidth(fileBase, tab) - renderedWidth(quoteBase, tab) })),
  );
  const fit = shifts.find(({ tab, shift }) =>
    pairs.every(([q, f]) => renderedWidth(f, tab) - renderedWidth(q, tab) === shift),
  );
  if (!fit) return undefined;
  const { tab, shift } = fit;
  return (indent) => {
    const width = Math.max(0, renderedWidth(indent, tab) + shift);
    // Tabs for whole levels, spaces for the alignment left over, as smart-tab code does.
    return fileUsesTabs ? '\t'.repeat(Math.floor(width / tab)) + ' '.repeat(width % tab) : ' '.repeat(width);
  };
}

interface Level {
  level: number;
  /** Spaces past the last whole level: alignment, kept as is. */
  rest: number;
}

function levelsOf(indent: string, step: number): Level {
  let tabs = 0;
  for (let i = 0; i < indent.length; i++) if (indent.charCodeAt(i) === 9) tabs++;
  const spaces = indent.length - tabs;
  return { level: tabs + Math.floor(spaces / step), rest: spaces % step };
}

// Indentation levels map one to one, each with its own step (2 vs 4 spaces, a tab vs 4 spaces); spaces past a whole
// level are alignment and stay as they are.
function levelRule(
  pairs: readonly IndentPair[],
  fileUsesTabs: boolean,
  fileUnit: () => string,
): (indent: string) => string {
  const quoteSteps = candidateSteps(pairs.map(([q]) => q));
  const fileSteps = fileUsesTabs ? [] : candidateSteps(pairs.map(([, f]) => f));
  const [quoteBase, fileBase] = pairs[0];
  const consistent = (quoteStep: number, fileStep: number): boolean => {
    const quoteZero = levelsOf(quoteBase, quoteStep).level;
    const fileZero = levelsOf(fileBase, fileStep).level;
    return pairs.every(([q, f]) => {
      const a = levelsOf(q, quoteStep);
      const b = levelsOf(f, fileStep);
      return a.level - quoteZero === b.level - fileZero && a.rest === b.rest;
    });
  };
  let unit: string | undefined;
  let quoteStep = quoteSteps[0];
  search: for (const q of quoteSteps) {
    for (const f of fileUsesTabs ? [4] : fileSteps) {
      if (consistent(q, f)) {
        quoteStep = q;
        unit = fileUsesTabs ? '\t' : ' '.repeat(f);
        break search;
      }
    }
  }
  unit ??= fileUnit();
  const quoteZero = levelsOf(quoteBase, quoteStep).level;
  const step = unit;
  return (indent) => {
    const { level, rest } = levelsOf(indent, quoteStep);
    const delta = level - quoteZero;
    let out = fileBase;
    if (delta >= 0) out += step.repeat(delta);
    else
      for (let k = 0; k < -delta && out.length > 0; k++)
        out = out.endsWith(step) ? out.slice(0, -step.length) : out.slice(0, -1);
    return out + ' '.repeat(rest);
  };
}

// Steps worth trying for a set of indents: the gcd of the space runs (ignoring odd alignment runs when even ones
// exist), then the usual ones.
function candidateSteps(indents: readonly string[]): number[] {
  const widths = indents.map((indent) => indent.replace(/\t/g, '').length).filter((w) => w > 0);
  const even = widths.filter((w) => w % 2 === 0);
  const gcdOf = (values: readonly number[]) => values.reduce((a, b) => gcd(a, b), 0);
  const steps = [gcdOf(even.length > 0 ? even : widths), 2, 4, 8, 3].filter((s) => s > 0);
  return [...new Set(steps)];
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Tabs when most indented lines start with one; otherwise the most common increase in leading spaces. */
export function inferIndentUnit(lines: Iterable<string>): string {
  let tabbed = 0;
  let spaced = 0;
  const steps = new Map<number, number>();
  let previous = 0;
  for (const line of lines) {
    if (line.trim() === '') continue;
    const indent = indentOf(line);
    if (indent.startsWith('\t')) tabbed++;
    else if (indent.length > 0) spaced++;
    const width = indent.startsWith('\t') ? previous : indent.length;
    if (width > previous) steps.set(width - previous, (steps.get(width - previous) ?? 0) + 1);
    previous = width;
  }
  if (tabbed > spaced) return '\t';
  let best = 4;
  let bestCount = 0;
  for (const [step, count] of steps) {
    if (count > bestCount || (count === bestCount && step < best)) {
      best = step;
      bestCount = count;
    }
  }
  return ' '.repeat(best);
}
