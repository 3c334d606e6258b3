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
  /** A cursor over `tree` for one walk from its root (web-tree-sitter's `tree.walk()` when absent). */
  walk?(tree: SyntaxTree): TreeWalk;
  /** Whether the tree holds a syntax error (web-tree-sitter's `tree.rootNode.hasError` when absent). */
  hasError?(tree: SyntaxTree): boolean;
}

/** What a depth-first walk reads from a tree cursor (a subset of web-tree-sitter's `TreeCursor`). */
export interface TreeWalk {
  readonly nodeTypeId: number;
  readonly startIndex: number;
  readonly endIndex: number;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
  delete(): void;
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
  const runtime: Record<string, unknown> = { wasmBinary: wasm.treeSitter };
  await Parser.init(runtime);
  const language = await Language.load(wasm.bash);
  const parser = new Parser();
  parser.setLanguage(language);
  const bash: BashParser = {
    parse(source: string): SyntaxTree {
      const tree = parser.parse(source);
      if (!tree) throw new Error('the bash parser returned no tree');
      return tree;
    },
  };
  const direct = directCursorCalls(runtime);
  if (direct && walksAlike(bash, direct)) bash.walk = (tree) => new DirectWalk(direct, tree);
  const errors = directErrorCalls(runtime);
  if (errors && errorsAlike(bash, errors)) bash.hasError = (tree) => directHasError(errors, tree);
  return bash;
}

/**
 * The runtime's own cursor functions. web-tree-sitter copies the cursor into the runtime's transfer
 * buffer and back on every call, through a generic `setValue`; that copying cost more than the parse of
 * a short line. The runtime keeps the cursor in that buffer between calls, so a walk that makes no other
 * call into the runtime can call these directly. They are internal to web-tree-sitter (pinned in
 * package.json), hence found by name and checked against the public cursor at load (`walksAlike`).
 */
interface DirectCursorCalls {
  /** Writes the tree's root node into the transfer buffer. */
  rootNode(tree: number): void;
  /** Makes a cursor at the node in the transfer buffer, and leaves the cursor there. */
  newCursor(tree: number): void;
  typeId(tree: number): number;
  startIndex(tree: number): number;
  endIndex(tree: number): number;
  firstChild(tree: number): number;
  nextSibling(tree: number): number;
  parent(tree: number): number;
  delete(tree: number): void;
}

function directCursorCalls(runtime: Record<string, unknown>): DirectCursorCalls | undefined {
  const names = {
    rootNode: '_ts_tree_root_node_wasm',
    newCursor: '_ts_tree_cursor_new_wasm',
    typeId: '_ts_tree_cursor_current_node_type_id_wasm',
    startIndex: '_ts_tree_cursor_start_index_wasm',
    endIndex: '_ts_tree_cursor_end_index_wasm',
    firstChild: '_ts_tree_cursor_goto_first_child_wasm',
    nextSibling: '_ts_tree_cursor_goto_next_sibling_wasm',
    parent: '_ts_tree_cursor_goto_parent_wasm',
    delete: '_ts_tree_cursor_delete_wasm',
  } as const;
  const calls: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(names)) {
    if (typeof runtime[name] !== 'function') return undefined;
    calls[key] = runtime[name];
  }
  return calls as unknown as DirectCursorCalls;
}

/**
 * `tree.rootNode.hasError` builds a `Node` object and copies it into the transfer buffer and back; the root
 * node the runtime writes there is what its has-error function reads, so the two calls can be made directly.
 */
interface DirectErrorCalls {
  rootNode(tree: number): void;
  hasError(tree: number): number;
}

function directErrorCalls(runtime: Record<string, unknown>): DirectErrorCalls | undefined {
  const rootNode = runtime._ts_tree_root_node_wasm;
  const hasError = runtime._ts_node_has_error_wasm;
  if (typeof rootNode !== 'function' || typeof hasError !== 'function') return undefined;
  return { rootNode, hasError } as DirectErrorCalls;
}

function directHasError(calls: DirectErrorCalls, tree: SyntaxTree): boolean {
  const address = treeAddress(tree);
  if (address === undefined) return tree.rootNode.hasError;
  calls.rootNode(address);
  return calls.hasError(address) === 1;
}

/** Whether the direct calls answer as web-tree-sitter does, on lines with and without syntax errors. */
function errorsAlike(bash: BashParser, calls: DirectErrorCalls): boolean {
  for (const sample of ['a | b && c "$(d)"', 'if then fi )', 'echo $(( 1 +', 'a <<EOF\nb\n']) {
    const tree = bash.parse(sample);
    try {
      if (treeAddress(tree) === undefined || directHasError(calls, tree) !== tree.rootNode.hasError) return false;
    } catch {
      return false;
    } finally {
      tree.delete();
    }
  }
  return true;
}

/** The address of a tree in the runtime (web-tree-sitter's internal handle), if it has one. */
function treeAddress(tree: SyntaxTree): number | undefined {
  const handle = (tree as unknown as Record<number, unknown>)[0];
  return typeof handle === 'number' && handle > 0 ? handle : undefined;
}

/**
 * A cursor over one tree made, moved and read only through the runtime's functions: made at the root as
 * `tree.walk()` makes it (root node into the transfer buffer, cursor from it), without the `Node` and
 * `TreeCursor` objects that builds; `delete` frees it from the buffer too. Another runtime call during the
 * walk would overwrite the buffer: the flattening walk makes none.
 */
class DirectWalk implements TreeWalk {
  private readonly tree: number;

  constructor(
    private readonly calls: DirectCursorCalls,
    tree: SyntaxTree,
  ) {
    const address = treeAddress(tree);
    if (address === undefined) throw new Error('the bash parser returned a tree without a handle');
    calls.rootNode(address);
    calls.newCursor(address);
    this.tree = address;
  }

  get nodeTypeId(): number {
    return this.calls.typeId(this.tree);
  }

  get startIndex(): number {
    return this.calls.startIndex(this.tree);
  }

  get endIndex(): number {
    return this.calls.endIndex(this.tree);
  }

  gotoFirstChild(): boolean {
    return this.calls.firstChild(this.tree) === 1;
  }

  gotoNextSibling(): boolean {
    return this.calls.nextSibling(this.tree) === 1;
  }

  gotoParent(): boolean {
    return this.calls.parent(this.tree) === 1;
  }

  delete(): void {
    this.calls.delete(this.tree);
  }
}

/** Whether a direct walk reads the same nodes as web-tree-sitter's cursor, on a line with most shapes. */
function walksAlike(bash: BashParser, calls: DirectCursorCalls): boolean {
  const sample = 'a=1 f() { x | y "$z" $(w <<<"v") >o 2>&1; } && for i in *; do echo `id` ${k:-l}; done # c';
  const tree = bash.parse(sample);
  try {
    if (treeAddress(tree) === undefined) return false;
    return nodesOf(new DirectWalk(calls, tree)) === nodesOf(tree.walk());
  } catch {
    return false;
  } finally {
    tree.delete();
  }
}

function nodesOf(cursor: TreeWalk): string {
  const seen: number[] = [];
  try {
    for (let depth = 0; ; ) {
      seen.push(depth, cursor.nodeTypeId, cursor.startIndex, cursor.endIndex);
      if (cursor.gotoFirstChild()) depth++;
      else {
        while (!cursor.gotoNextSibling()) {
          if (depth === 0 || !cursor.gotoParent()) return seen.join(',');
          depth--;
        }
      }
    }
  } finally {
    cursor.delete();
  }
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
