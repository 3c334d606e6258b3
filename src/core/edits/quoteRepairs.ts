// Copy artefacts that wrap the quote itself rather than change its characters: read_file's line-number prefixes and
// one level of JSON escaping. Each gives another reading of old_text, tried only after the quote as written found
// nothing; new_text gets the same repair, or the block is refused when it cannot take it consistently.

import type { Normalisation } from './fileChange';
import { hasBareQuote, undoJsonEscaping } from './jsonEscaping';
import { stripLineNumbers, stripLineNumbersLike } from './lineNumbers';
import { normalizeForMatching } from './textFormat';

export interface QuoteReading {
  oldText: string;
  /** new_text with the same repairs, or undefined when it does not carry them consistently. */
  newText: string | undefined;
  repairs: Normalisation[];
  /** 0-based file line the quote's first line number named, when it carried numbers. */
  quotedLine?: number;
}

/** The quote as written, then each repaired reading that differs from it, in the order they are tried. */
export function quoteReadings(oldText: string, newText: string): QuoteReading[] {
  const readings: QuoteReading[] = [{ oldText, newText, repairs: [] }];
  readings.push(...withoutLineNumbers(readings[0]));
  const unescapedOld = undoJsonEscaping(oldText);
  if (unescapedOld !== undefined) {
    const unescaped: QuoteReading = {
      oldText: normalizeForMatching(unescapedOld),
      newText: unescapeLike(newText),
      repairs: ['json_escaping'],
    };
    readings.push(unescaped, ...withoutLineNumbers(unescaped));
  }
  return readings;
}

function withoutLineNumbers(reading: QuoteReading): QuoteReading[] {
  return stripLineNumbers(reading.oldText).map((stripped) => ({
    oldText: stripped.text,
    newText:
      reading.newText === undefined
        ? undefined
        : stripLineNumbersLike(reading.newText, stripped.form, {
            firstLine: stripped.firstLine + 1,
            lines: stripped.text.split('\n').length,
          }),
    repairs: [...reading.repairs, 'line_numbers'],
    quotedLine: stripped.firstLine,
  }));
}

// new_text with real line breaks or bare quotes was written as plain text; otherwise it must decode as old_text did.
function unescapeLike(newText: string): string | undefined {
  if (!newText.includes('\\') || newText.includes('\n') || hasBareQuote(newText)) return newText;
  const decoded = undoJsonEscaping(newText);
  return decoded === undefined ? undefined : normalizeForMatching(decoded);
}
