// The tokenizer behind usage estimates (gpt-tokenizer, cl100k_base). Bundled on its own as dist/tokenizer.js and
// loaded on the first estimate. Its rank table (about 1 MB) ships beside it brotli-compressed (esbuild.mjs packs
// it with scripts/lib/packedAssets.mjs), which keeps the VSIX small; it is read back only when first needed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { GptEncoding } from 'gpt-tokenizer/GptEncoding';
import type { TokenCounter } from '../core/model/tokenEstimate';

/** cl100k_base rather than o200k_base: half the size, and estimates are for servers whose tokenizers differ anyway. */
export const TOKENIZER_ENCODING = 'cl100k_base';
/** The packed rank table's name beside dist/tokenizer.js (scripts/lib/packedAssets.mjs writes it). */
export const RANKS_FILE = 'cl100k_base.ranks.json.br';

/** gpt-tokenizer's rank table: a token's text, or its bytes where they are not valid UTF-8. */
export type MergeableRanks = readonly (string | readonly number[])[];

/** Text the model or a file supplies may contain `<|endoftext|>`: counted as plain text, never refused. */
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/** Reads a packed table back; throws on a missing or damaged file (the loader then makes no estimate). */
export function readPackedRanks(file: string): MergeableRanks {
  const ranks: unknown = JSON.parse(brotliDecompressSync(readFileSync(file)).toString('utf8'));
  if (!Array.isArray(ranks) || ranks.length < 256) throw new Error(`${file} holds no rank table`);
  return ranks as MergeableRanks;
}

/** Without `ranks` the table is read from beside this bundle, as the extension does. */
export function createTokenCounter(ranks?: MergeableRanks): TokenCounter {
  const table = ranks ?? readPackedRanks(join(__dirname, RANKS_FILE));
  const encoding = GptEncoding.getEncodingApi(TOKENIZER_ENCODING, () => table);
  return {
    encoding: TOKENIZER_ENCODING,
    count: (text) => (text === '' ? 0 : encoding.countTokens(text, PLAIN_TEXT)),
  };
}
