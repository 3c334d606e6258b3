// The order the shell runs a script's top-level statements in: `;` and newlines in sequence, `&&` and `||`
// on success or failure, `!` inverting, `&` in a subshell of its own. The working directory a `cd` sets
// reaches only the statements after it; everything nested deeper (pipelines, subshells, loops, functions)
// is one opaque statement here.
import type { FlatNode } from './flatTree';

export type StatementFlow =
  /** One statement; its simple commands are `commands[from, to)` of the script. */
  | { kind: 'statement'; from: number; to: number; /** A simple command, maybe with redirections. */ simple: boolean }
  | { kind: 'and' | 'or'; left: StatementFlow; right: StatementFlow }
  | { kind: 'not'; inner: StatementFlow }
  /**
   * A list with a redirection the grammar hangs on all of it (`a && b 2>&1`): bash gives it to the last command.
   * `commands[from, to)` holds the body's commands and the redirection's own.
   */
  | { kind: 'redirected'; body: StatementFlow; from: number; to: number }
  | { kind: 'sequence'; steps: { flow: StatementFlow; background: boolean }[] };

/** What visits a statement and lists its simple commands (the collector). */
export interface StatementVisitor {
  readonly commands: { length: number };
  visit(node: FlatNode, background: boolean): void;
  bodyVisitor: { statement: FlatNode; visit(body: FlatNode): void } | undefined;
}

/**
 * Visits `root` as the collector would (the same nodes in the same order, with the same background flags)
 * and returns the flow of its top-level statements.
 */
export function visitStatements(root: FlatNode, visitor: StatementVisitor): StatementFlow {
  return root.type === 'program' ? sequence(root, visitor) : statement(root, false, visitor);
}

function sequence(node: FlatNode, visitor: StatementVisitor): StatementFlow {
  const steps: { flow: StatementFlow; background: boolean }[] = [];
  let pending: FlatNode | null = null;
  for (const child of node.children) {
    if (child.isNamed) {
      if (pending) steps.push({ flow: statement(pending, false, visitor), background: false });
      pending = child;
    } else if (pending) {
      const background = child.type === '&';
      steps.push({ flow: statement(pending, background, visitor), background });
      pending = null;
    }
  }
  if (pending) steps.push({ flow: statement(pending, false, visitor), background: false });
  return { kind: 'sequence', steps };
}

function statement(node: FlatNode, background: boolean, visitor: StatementVisitor): StatementFlow {
  // The collector visits these through their children, with the same background flag (it only counts there):
  // so does this.
  const children = node.children;
  if (node.type === 'list' && children.length === 3 && children[0].isNamed && children[2].isNamed) {
    const operator = children[1].type;
    if (operator === '&&' || operator === '||') {
      const left = statement(children[0], background, visitor);
      const right = statement(children[2], background, visitor);
      return { kind: operator === '&&' ? 'and' : 'or', left, right };
    }
  }
  if (node.type === 'negated_command' && children.length === 2 && children[0].type === '!') {
    const inner = children[1];
    if (inner.isNamed) return { kind: 'not', inner: statement(inner, background, visitor) };
  }
  const from = visitor.commands.length;
  let body: StatementFlow | undefined;
  if (node.type === 'redirected_statement') {
    // The collector visits a body that is not a command itself, as it would visit any statement.
    // Only this statement's own body: a substitution in its redirections is visited first, as itself.
    visitor.bodyVisitor = {
      statement: node,
      visit: (inner) => {
        visitor.bodyVisitor = undefined;
        body = statement(inner, false, visitor);
      },
    };
  }
  visitor.visit(node, background);
  visitor.bodyVisitor = undefined;
  if (body) return { kind: 'redirected', body, from, to: visitor.commands.length };
  const simple = node.type === 'command' || node.type === 'redirected_statement';
  return { kind: 'statement', from, to: visitor.commands.length, simple };
}
