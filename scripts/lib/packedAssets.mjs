// Assets the VSIX carries brotli-compressed, read back on first use: brotli at its highest setting stores them
// in far less than the zip's deflate does (the tokenizer's rank table: about 350 KB instead of 440 KB; the
// bash grammar's wasm: 130 KB instead of 186 KB). src/node/gptTokenizer.ts and src/vscode/policyHost.ts unpack them.
import { brotliCompressSync, constants } from 'node:zlib';

export const RANKS_FILE = 'cl100k_base.ranks.json.br';

/** Brotli at quality 11 with the largest window: slow to pack (seconds), fast to unpack (milliseconds). */
export function brotliPack(bytes) {
  return brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_LGWIN]: constants.BROTLI_MAX_WINDOW_BITS,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
}

/** `ranks`: the array gpt-tokenizer's `bpeRanks/cl100k_base` module exports (token strings or byte arrays). */
export function packRanks(ranks) {
  return brotliPack(Buffer.from(JSON.stringify(ranks)));
}
