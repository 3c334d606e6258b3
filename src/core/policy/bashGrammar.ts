// Loads the tree-sitter bash grammar from bytes the caller read (core reads no files): once, lazily,
// memoised. Commands are judged from this real shell grammar, never from regular expressions.
import type { Node, Tree } from 'web-tree-sitter';
// `require`, not `import`: bundlers then pick the package's CommonJS build. Its ESM build reads
// `import.meta.url`, which is undefined once esbuild has turned it into dist/*.js (CommonJS).
// eslint-disable-next-line @typescript-eslint/no-require-imports
import WebTreeSitter = require('web-tree-sitter');

const { Language, Parser } = WebTreeSitter;

export type SyntaxNode = Node;
export type SyntaxTree = Tree;

/** A loaded bash parser. Trees it returns must be freed with `tree.delete()`. */
export interface BashParser {
  parse(source: string): SyntaxTree;
}

export interface BashGrammarWasm {
  /** Bytes of web-tree-sitter's `tree-sitter.wasm`. */
  treeSitter: Uint8Array;
  /** Bytes of tree-sitter-bash's `tree-sitter-bash.wasm`. */
  bash: Uint8Array;
}

let loading: Promise<BashParser> | undefined;

async function load(wasm: BashGrammarWasm): Promise<BashParser> {
  // wasmBinary hands the runtime its bytes, so it never tries to fetch or read `tree-sitter.wasm`
  // itself (which breaks once esbuild has moved the code into dist/*.js).
  await Parser.init({ wasmBinary: wasm.treeSitter });
  const language = await Language.load(wasm.bash);
  const parser = new Parser();
  parser.setLanguage(language);
  return {
    parse(source: string): SyntaxTree {
      const tree = parser.parse(source);
      if (!tree) throw new Error('the bash parser returned no tree');
      return tree;
    },
  };
}

/**
 * The bash parser, loaded on the first call; later calls return the same parser (their bytes are
 * ignored). A failed load is not memoised, so a later call can retry.
 */
export function loadBashGrammar(wasm: BashGrammarWasm): Promise<BashParser> {
  if (!loading) {
    loading = load(wasm);
    loading.catch(() => {
      loading = undefined;
    });
  }
  return loading;
}
