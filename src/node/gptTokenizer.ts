// The tokenizer behind usage estimates (gpt-tokenizer, cl100k_base). Bundled on its own as dist/tokenizer.js and
// loaded on the first estimate: its rank table is about 1 MB, which must stay out of extension.js and activation.
import { countTokens } from 'gpt-tokenizer/encoding/cl100k_base';
import type { TokenCounter } from '../core/model/tokenEstimate';

/** cl100k_base rather than o200k_base: half the size, and estimates are for servers whose tokenizers differ anyway. */
export const TOKENIZER_ENCODING = 'cl100k_base';

/** Text the model or a file supplies may contain `<|endoftext|>`: counted as plain text, never refused. */
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

export function createTokenCounter(): TokenCounter {
  return { encoding: TOKENIZER_ENCODING, count: (text) => (text === '' ? 0 : countTokens(text, PLAIN_TEXT)) };
}
