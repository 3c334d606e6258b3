// The parse tree copied into plain objects in one cursor pass: every property read on a web-tree-sitter
// node is a call into wasm, and the parse walk reads each node several times.
import type { SyntaxNode, SyntaxTree } from '../../bashGrammar';

/** Characters that end a word for bash: blanks and the metacharacters. */
const WORD_BOUNDARY = /[\s;&|()<>]/;

/**
 * The parse tree copied into plain objects in one cursor pass: every property read on a web-tree-sitter
 * node is a call into wasm, and the walk below reads each node several times.
 */
export class FlatNode {
  readonly children: FlatNode[] = [];
  private endIndex = -1;

  constructor(
    private readonly source: string,
    readonly type: string,
    readonly isNamed: boolean,
    readonly start: number,
    /** Read lazily (a wasm call) and only while the tree is alive: during `parseScript`. */
    private readonly node: SyntaxNode,
  ) {}

  get end(): number {
    if (this.endIndex < 0) this.endIndex = this.node.endIndex;
    return this.endIndex;
  }

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

function tablesFor(tree: SyntaxTree): LanguageTables {
  const language = tree.language;
  let tables = languageTables.get(language);
  if (!tables) {
    const named: boolean[] = [];
    for (let id = 0; id < language.types.length; id++) named[id] = language.nodeTypeIsNamed(id);
    tables = { types: language.types, named };
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

export function flattenTree(tree: SyntaxTree, source: string): FlatNode {
  const { types, named } = tablesFor(tree);
  return copyNode(tree.rootNode, source, types, named);
}

/** `children` fetches all children in one wasm call; `typeId` and `endIndex` are one call each. */
function copyNode(node: SyntaxNode, source: string, types: readonly string[], named: boolean[]): FlatNode {
  const id = node.typeId;
  const type = types[id] ?? 'ERROR';
  const isNamed = type === 'ERROR' || (named[id] ?? true);
  const flat = new FlatNode(source, type, isNamed, node.startIndex, node);
  // Tokens never have children: skip the call that would say so.
  if (!isNamed || LEAF_TYPES.has(type)) return flat;
  for (const child of node.children) if (child) flat.children.push(copyNode(child, source, types, named));
  return flat;
}
