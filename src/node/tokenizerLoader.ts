// Loads dist/tokenizer.js on first use and keeps it. The path is resolved at run time, so esbuild leaves the
// tokenizer out of warden.js; a missing or broken file means "no estimate", never a failed turn.
import type { TokenCounter, TokenCounterLoader } from '../core/model/tokenEstimate';

interface TokenizerModule {
  createTokenCounter(): TokenCounter;
}

/** `modulePath`: the absolute path of the tokenizer bundle (dist/tokenizer.js). A failed load is retried next time. */
export function lazyTokenCounter(modulePath: string): TokenCounterLoader {
  let counter: TokenCounter | undefined;
  return async () => {
    if (counter === undefined) {
      // A plain require of a run-time path: bundlers cannot follow it, which is the point.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const module = require(modulePath) as TokenizerModule;
      counter = module.createTokenCounter();
    }
    return counter;
  };
}
