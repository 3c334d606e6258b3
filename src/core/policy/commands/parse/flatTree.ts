// The parse tree copied into plain objects in one cursor pass: every property read on a web-tree-sitter
// node is a call into wasm, and the parse walk reads each node several times.
import type { SyntaxTree, TreeWalk } from '../../bashGrammar';

/** Characters that end a word for bash: blanks and the metacharacters. */
const WORD_BOUNDARY = /[\s;&|()<>]/;

/**
 * The parse tree copied into plain objects in one cursor pass: every property read on a web-tree-sitter
 * node is a call into wasm, and the walk below reads each node several times.
 */
/** The children of every node without any: one shared array, frozen so that no caller can add to it. */
const NO_CHILDREN: readonly FlatNode[] = Object.freeze([]);

export class FlatNode {
  /** Set once by `flattenTree` for a node with children (most nodes have none: one array less each). */
  children: readonly FlatNode[] = NO_CHILDREN;

  constructor(
    private readonly source: string,
    readonly type: string,
    readonly isNamed: boolean,
    readonly start: number,
    readonly end: number,
  ) {}

  get text(): string {
    return this.source.slice(this.start, this.end);
  }

  /** Whether the text right before (or after) the node ends a word for bash, as the start and end of text do. */
  boundaryBefore(): boolean {
    return WORD_BOUNDARY.test(this.source[this.start - 1] ?? ' ');
  }

  boundaryAfter(): boolean {
    return WORD_BOUNDARY.test(this.source[this.end] ?? ' ');
  }

  /** Whether a blank (or the start or end of the text) lies right after, or right before, the node. */
  blankAfter(): boolean {
    return /\s/.test(this.source[this.end] ?? ' ');
  }

  blankBefore(): boolean {
    return /\s/.test(this.source[this.start - 1] ?? ' ');
  }

  get namedChildren(): FlatNode[] {
    return this.children.filter((c) => c.isNamed);
  }

  firstNamed(type?: string): FlatNode | undefined {
    for (const child of this.children) if (child.isNamed && (type === undefined || child.type === type)) return child;
    return undefined;
  }
}

interface LanguageTables {
  types: readonly string[];
  named: boolean[];
}

const languageTables = new WeakMap<object, LanguageTables>();

/**
 * The same text as an internalised string: the runtime hands names over as fresh strings, and the walks
 * compare every node's type with literals, which is a pointer comparison only between internalised strings.
 */
function internalised(text: string): string {
  return Object.keys({ [text]: true })[0] ?? text;
}

function tablesFor(tree: SyntaxTree): LanguageTables {
  const language = tree.language;
  let tables = languageTables.get(language);
  if (!tables) {
    const named: boolean[] = [];
    for (let id = 0; id < language.types.length; id++) named[id] = language.nodeTypeIsNamed(id);
    tables = { types: language.types.map((type) => (typeof type === 'string' ? internalised(type) : type)), named };
    languageTables.set(language, tables);
  }
  return tables;
}

const LEAF_TYPES = new Set([
  'word',
  'raw_string',
  'ansi_c_string',
  'variable_name',
  'special_variable_name',
  'string_content',
  'heredoc_content',
  'file_descriptor',
  'comment',
  'heredoc_start',
  'heredoc_end',
  'regex',
  'extglob_pattern',
  'test_operator',
]);

/**
 * One cursor walk: a cursor reads a node's type, span and children without creating a wasm-backed `Node`
 * object for each (which cost more than the parse of short lines). Tokens never have children. With
 * `postOrder`, every node is also appended to it once its children are (so the list read backwards is a
 * pre-order walk that visits children last to first).
 */
export function flattenTree(
  tree: SyntaxTree,
  source: string,
  walk?: (tree: SyntaxTree) => TreeWalk,
  postOrder?: FlatNode[],
): FlatNode {
  const { types, named } = tablesFor(tree);
  const length = source.length;
  // Nothing else may call into the runtime between here and `delete` (a direct walk lives in its buffer).
  const cursor = walk ? walk(tree) : tree.walk();
  try {
    const root = flatNode(cursor, source, length, types, named);
    // The nodes above `current`, and where each one's children start in `pending` (the children found so far,
    // of every open node): a node's list is cut from it once complete, at its exact length, instead of grown.
    const parents: FlatNode[] = [];
    const starts: number[] = [];
    const pending: FlatNode[] = [];
    // Entries at `top` and past it are done with (a stack top, not `length =`, which takes V8's slow path).
    let top = 0;
    let current = root;
    for (;;) {
      if (current.isNamed && !LEAF_TYPES.has(current.type) && cursor.gotoFirstChild()) {
        parents.push(current);
        starts.push(top);
        current = flatNode(cursor, source, length, types, named);
        pending[top++] = current;
        continue;
      }
      postOrder?.push(current);
      for (;;) {
        if (parents.length === 0) return root;
        if (cursor.gotoNextSibling()) {
          current = flatNode(cursor, source, length, types, named);
          pending[top++] = current;
          break;
        }
        cursor.gotoParent();
        const start = starts.pop() as number;
        const parent = parents.pop() as FlatNode;
        parent.children = pending.slice(start, top);
        top = start;
        postOrder?.push(parent);
      }
    }
  } finally {
    cursor.delete();
  }
}

function flatNode(
  cursor: TreeWalk,
  source: string,
  length: number,
  types: readonly string[],
  named: readonly boolean[],
): FlatNode {
  const id = cursor.nodeTypeId;
  const type = types[id] ?? 'ERROR';
  const isNamed = type === 'ERROR' || (named[id] ?? true);
  // A tree parsed with a newline after `source` (parseTerminated) ends one character later.
  const end = cursor.endIndex;
  return new FlatNode(source, type, isNamed, cursor.startIndex, end < length ? end : length);
}
