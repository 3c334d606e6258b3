// Turns a bash command line into the simple commands it would run — every one of them, wherever it hides:
// lists, pipelines, subshells, groups, loop and branch bodies, functions, `$(…)`, backticks, `<(…)`,
// `>(…)`, substitutions inside strings, redirects and heredocs. Words are reduced to their values after
// quote removal (`r''m` is `rm`), with flags for anything the shell would still expand.
import type { BashParser, SyntaxTree } from '../../bashGrammar';
import { ScriptCollector } from './collector';
import { flattenTree, type FlatNode } from './flatTree';
import { reevaluationAt, type Reevaluation } from './reevaluation';
import { visitStatements } from './statementFlow';
import type { ParseContext, ParsedScript } from './simpleCommand';

const NO_PIPES: readonly number[] = [];

/**
 * Parses `text` and lists every simple command in it, in source order (a substitution's commands come
 * before the command whose word holds them). The tree is freed before returning.
 */
export function parseScript(
  parser: BashParser,
  text: string,
  context: ParseContext = { nextPipeId: 0 },
  inheritedPipes: readonly number[] = NO_PIPES,
): ParsedScript {
  const { tree, syntaxError } = parseWithErrors(parser, text);
  try {
    const collector = new ScriptCollector(context, inheritedPipes);
    const postOrder: FlatNode[] = [];
    const root = flattenTree(tree, text, parser.walk, postOrder);
    const flow = visitStatements(root, collector);
    const scan = scanTree(postOrder, text, collector.recovered);
    return {
      commands: collector.commands,
      syntaxError,
      misparsed: collector.misparsed || scan.skipsText,
      functions: collector.functions,
      reevaluations: scan.reevaluations,
      backtickBodies: collector.backtickBodies,
      flow,
    };
  } finally {
    tree.delete();
  }
}

/** Ends in a character after which a newline changes nothing for the grammar (no blank, no backslash). */
const ENDS_IN_WORD_OR_OPERATOR = /[^\s\\]$/;

/**
 * The tree of `text`, parsed with a newline after it where that gives the same tree. A line ending in a
 * pipeline of three or more commands leaves the grammar a paused parse at the end of input, whose error
 * recovery costs ten times the parse itself; a final newline avoids it. It is only used when it cannot
 * change the tree: never after a backslash (a line continuation) or a blank, never with a heredoc (the
 * newline would end its body), and never when the terminated text has a syntax error (the text is then
 * parsed as it is). Node ends past `text` are clamped by `flattenTree`.
 */
export function parseTerminated(parser: BashParser, text: string): SyntaxTree {
  return parseWithErrors(parser, text).tree;
}

/** `parseTerminated`, and whether the tree has a syntax error (asked of the runtime once, not twice). */
function parseWithErrors(parser: BashParser, text: string): { tree: SyntaxTree; syntaxError: boolean } {
  if (ENDS_IN_WORD_OR_OPERATOR.test(text) && !text.includes('<<')) {
    const tree = parser.parse(`${text}\n`);
    if (!hasError(parser, tree)) return { tree, syntaxError: false };
    tree.delete();
  }
  const tree = parser.parse(text);
  return { tree, syntaxError: hasError(parser, tree) };
}

function hasError(parser: BashParser, tree: SyntaxTree): boolean {
  return parser.hasError ? parser.hasError(tree) : tree.rootNode.hasError;
}

/**
 * One pass over every node: the places bash would evaluate a value again, and whether the grammar passed
 * over text without a token for it: an escaped blank it took as blank (`git status \ ;`), or a word it
 * dropped (`-⏎x=1`). Blanks and line continuations are the only text bash skips too; a `-` the collector gave
 * back to its command (`recovered`) is accounted for. `postOrder` is every node of the tree in post-order:
 * read backwards, a pre-order walk with children last to first, the order the reevaluations are listed in.
 */
function scanTree(
  postOrder: readonly FlatNode[],
  text: string,
  recovered: readonly number[],
): { skipsText: boolean; reevaluations: Reevaluation[] } {
  const covered = scratchBytes(text.length);
  for (const at of recovered) covered[at] = 1;
  const reevaluations: Reevaluation[] = [];
  for (let i = postOrder.length - 1; i >= 0; i--) {
    const node = postOrder[i];
    if (node.isNamed) {
      const found = reevaluationAt(node);
      if (found) reevaluations.push(found);
    }
    // A heredoc body's text lies between its expansions without tokens of its own.
    // A loop, not `fill`: most tokens are a few characters, for which the call costs more than the writes.
    if (node.children.length === 0 || node.type === 'heredoc_body')
      for (let at = node.start; at < node.end; at++) covered[at] = 1;
  }
  for (let at = 0; at < text.length; at++) {
    if (covered[at] || isBlank(text, at)) continue;
    if (text[at] === '\\' && text[at + 1] === '\n') {
      at++;
      continue;
    }
    return { skipsText: true, reevaluations };
  }
  return { skipsText: false, reevaluations };
}

let scratch = new Uint8Array(4096);

/**
 * `length` zeroed bytes, in one buffer kept between scans (a new typed array per parse cost more than the scan
 * of a short line). The scan never runs inside another, so the buffer is never in use twice.
 */
function scratchBytes(length: number): Uint8Array {
  if (length > scratch.length) scratch = new Uint8Array(Math.max(length, scratch.length * 2));
  scratch.fill(0, 0, length);
  return scratch;
}

/** `/\s/` for the character at `at`, without making a string of it for the common blanks. */
function isBlank(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  if (code === 32 || code === 10 || code === 9 || code === 13) return true;
  return code > 32 && code < 127 ? false : /\s/.test(text[at]);
}
