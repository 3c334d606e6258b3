// How a recovered block is reported to the model: what had to be undone or ignored to find its quote, in words it
// can act on when it quotes the next time.

import type { Normalisation } from './fileChange';

const WORDS: Record<Normalisation, string> = {
  line_numbers: 'removing line-number prefixes',
  json_escaping: 'undoing one level of JSON escaping',
  trailing_whitespace: 'ignoring trailing whitespace',
  tab_indentation: 'reading tabs and spaces in indentation as equal',
  indentation: 'ignoring indentation',
  inner_whitespace: 'ignoring whitespace inside lines',
  typography: 'folding typographic punctuation (curly quotes, dashes, ellipses)',
  nbsp: 'reading non-breaking spaces as spaces',
  unicode_form: 'ignoring the Unicode normalisation form (NFC/NFD)',
  blank_lines: 'ignoring blank-line differences',
};

/** "removing line-number prefixes and ignoring indentation" */
export function describeNormalisations(normalised: readonly Normalisation[]): string {
  const words = normalised.map((n) => WORDS[n]);
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
