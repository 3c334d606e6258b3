// Packs gpt-tokenizer's cl100k_base rank table for the VSIX: brotli-compressed JSON of the package's own array.
// Brotli at its highest setting stores it in about 350 KB, where the bundled JS module costs about 440 KB of the
// zip; src/node/gptTokenizer.ts reads it back on the first estimate.
import { brotliCompressSync, constants } from 'node:zlib';

export const RANKS_FILE = 'cl100k_base.ranks.json.br';

/** `ranks`: the array gpt-tokenizer's `bpeRanks/cl100k_base` module exports (token strings or byte arrays). */
export function packRanks(ranks) {
  const json = Buffer.from(JSON.stringify(ranks));
  return brotliCompressSync(json, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_LGWIN]: constants.BROTLI_MAX_WINDOW_BITS,
      [constants.BROTLI_PARAM_SIZE_HINT]: json.length,
    },
  });
}
