// Walks the flattened parse tree and collects every simple command bash would run — in lists,
// pipelines, subshells, groups, loop and branch bodies, functions, substitutions, redirections and
// heredocs — noting where the grammar and bash would read the text differently.
import type { FlatNode } from './flatTree';
import type {
  Assignment,
  FunctionInfo,
  ParseContext,
  Redirect,
  SimpleCommand,
  SimpleCommandKind,
} from './simpleCommand';
import { decodeAnsiC, finishWord, literalWord, sliceWord, WordBuilder, type Word } from './words';

/** The variable a `$NAME` or plain `${NAME}` expansion reads, or undefined for any other expansion. */
function plainVariable(node: FlatNode): string | undefined {
  const children = node.children;
  if (node.type === 'simple_expansion')
    return children.length === 2 && children[1].type === 'variable_name' ? children[1].text : undefined;
  // `${HOME}`: exactly `${`, the name, `}` — any operator (`${HOME:-x}`, `${HOME/…}`) makes it dynamic.
  if (children.length === 3 && children[1].type === 'variable_name') return children[1].text;
  return undefined;
}

const UNESCAPED_NEWLINE = /(^|[^\\])\n/;
/** What bash reads as a file descriptor before a redirection operator: digits, or `{name}`. */
const FILE_DESCRIPTOR = /^(\d+|\{[A-Za-z_][A-Za-z0-9_]*\})$/;
const WORD_TYPES = new Set([
  'word',
  'string',
  'raw_string',
  'ansi_c_string',
  'translated_string',
  'concatenation',
  'number',
  'simple_expansion',
  'expansion',
  'command_substitution',
  'process_substitution',
  'arithmetic_expansion',
  'brace_expression',
]);
const REDIRECT_TYPES = new Set(['file_redirect', 'heredoc_redirect', 'herestring_redirect']);

export class ScriptCollector {
  readonly commands: SimpleCommand[] = [];
  misparsed = false;
  /** Offsets of the lone `-` words the grammar dropped and this collector gave back to their command. */
  readonly recovered: number[] = [];
  readonly functions = new Map<string, FunctionInfo>();
  readonly backtickBodies: string[] = [];
  private pipes: readonly number[];
  private readonly functionStack: FunctionInfo[] = [];
  /** > 0 while inside a pipeline or a backgrounded statement of the innermost function. */
  private parallel = 0;
  /**
   * Visits the body of this one redirected statement when it is not a simple command (`a && b 2>&1`: the grammar
   * hangs the redirection on the list): the statement flow sets it to follow the list inside.
   */
  bodyVisitor: { statement: FlatNode; visit(body: FlatNode): void } | undefined;
  /** Digits the grammar put at the end of a command or redirection that are the descriptor of the next redirection. */
  private descriptors: Set<FlatNode> | undefined;

  constructor(
    private readonly context: ParseContext,
    inheritedPipes: readonly number[],
  ) {
    this.pipes = inheritedPipes;
  }

  /** Any node: statements become commands; everything else is searched for statements inside. */
  visit(node: FlatNode, background: boolean): void {
    const type = node.type;
    if (background) this.parallel++;
    try {
      switch (type) {
        case 'command':
          this.command(node, [], node.text);
          return;
        case 'redirected_statement':
          this.redirected(node);
          return;
        case 'pipeline':
          this.pipeline(node);
          return;
        case 'function_definition':
          this.functionDefinition(node);
          return;
        case 'variable_assignment':
          this.push('assignment', node.text, [this.assignment(node)], [], []);
          return;
        case 'variable_assignments': {
          const assignments: Assignment[] = [];
          for (const child of node.namedChildren)
            if (child?.type === 'variable_assignment') assignments.push(this.assignment(child));
          this.push('assignment', node.text, assignments, [], []);
          return;
        }
        case 'declaration_command':
        case 'unset_command':
          this.declaration(node, type === 'unset_command' ? 'unset' : 'declaration');
          return;
        case 'test_command': {
          // `[` and `]` are words of their own to bash: `[x|rm -rf src ]` is `[x`, piped into `rm -rf src ]`.
          const open = node.children[0];
          const close = node.children[node.children.length - 1];
          if (!node.boundaryAfter() || !open?.blankAfter() || !close?.blankBefore()) this.misparsed = true;
          this.children(node);
          this.push('test', node.text, [], [], []);
          return;
        }
        case 'for_statement': {
          // `for PATH in …` and `select IFS in …` assign their variable like `PATH=…` does.
          const variable = node.children.find((c) => c.type === 'variable_name');
          if (variable) {
            const text = node.text.slice(0, variable.end - node.start);
            this.push('assignment', text, [{ name: variable.text, value: undefined }], [], []);
          }
          this.children(node);
          return;
        }
        case 'command_substitution':
        case 'process_substitution':
          this.substitution(node);
          return;
        case 'expansion':
          if (hasTextSubstitution(node)) this.misparsed = true;
          this.assigningExpansion(node);
          this.children(node);
          return;
        case 'comment':
        case 'heredoc_start':
        case 'heredoc_end':
          return;
        default:
          if (node.children.length > 0) this.children(node);
      }
    } finally {
      if (background) this.parallel--;
    }
  }

  /** Visits children; a child followed by `&` runs in the background. */
  private children(node: FlatNode): void {
    const children = node.children;
    let pending: FlatNode | null = null;
    for (const child of children) {
      if (!child) continue;
      if (child.isNamed) {
        if (pending) this.visit(pending, false);
        pending = child;
      } else if (pending) {
        this.visit(pending, child.type === '&');
        pending = null;
      }
    }
    if (pending) this.visit(pending, false);
  }

  private pipeline(node: FlatNode): void {
    const id = this.context.nextPipeId++;
    const outer = this.pipes;
    let index = 0;
    this.parallel++;
    try {
      for (const child of node.children) {
        if (!child || !child.isNamed) continue;
        this.pipes = [...outer, id, index++];
        this.visit(child, false);
        if (child.type === 'variable_assignment' || child.type === 'variable_assignments')
          this.commands[this.commands.length - 1].idleStage = true;
      }
    } finally {
      this.pipes = outer;
      this.parallel--;
    }
  }

  private substitution(node: FlatNode): void {
    const text = node.text;
    // Inside backquotes `\\`, `\``, `\$` lose their backslash before bash parses the body again.
    if (text.startsWith('`') && text.includes('\\'))
      this.backtickBodies.push(text.slice(1, text.endsWith('`') ? -1 : undefined).replace(/\\([$`\\])/g, '$1'));
    for (const child of node.children) {
      if (!child || !child.isNamed) continue;
      // `$(< file)` reads the file; `$(> file)` truncates it.
      if (child.type === 'file_redirect') {
        const redirect = this.redirect(child);
        // `$(>& -rm)`: bash closes stdout and runs the rest of the word, as it would outside `$(…)`.
        if (redirect.arguments !== undefined) this.push('command', node.text, [], redirect.arguments, [redirect]);
        else {
          this.push('redirect-only', node.text, [], [], [redirect]);
          this.commands[this.commands.length - 1].bare = true;
        }
      } else this.visit(child, false);
    }
  }

  private functionDefinition(node: FlatNode): void {
    const name = node.firstNamed('word')?.text ?? '';
    const info: FunctionInfo = this.functions.get(name) ?? { name, calls: new Map() };
    this.functions.set(name, info);
    const savedParallel = this.parallel;
    this.functionStack.push(info);
    this.parallel = 0;
    try {
      const redirects: Redirect[] = [];
      for (const child of node.namedChildren) {
        if (!child) continue;
        if (child.type === 'file_redirect' || child.type === 'herestring_redirect')
          redirects.push(this.redirect(child));
        else if (child.type !== 'word') this.visit(child, false);
      }
      if (redirects.length > 0) this.push('redirect-only', node.text, [], [], redirects);
    } finally {
      this.functionStack.pop();
      this.parallel = savedParallel;
    }
  }

  private redirected(node: FlatNode): void {
    const body = node.children.find((c) => c.isNamed && !REDIRECT_TYPES.has(c.type));
    const redirects: Redirect[] = [];
    const later: FlatNode[] = [];
    const named = node.namedChildren;
    // `xargs 0>&-`, `0>&- 0>&-`: the grammar may end the command (or the previous redirection) with the
    // digits that bash reads as the descriptor of the redirection they touch. `a | 0>f`: cut off, they leave
    // the last stage running nothing, so the redirection is its own.
    let idleLastStage = false;
    for (let i = 0; i + 1 < named.length; i++) {
      const owner = named[i].type === 'pipeline' ? lastNamed(named[i]) : named[i];
      const last = owner && (owner.type === 'command' || REDIRECT_TYPES.has(owner.type)) ? lastNamed(owner) : undefined;
      if (!owner || !last || !descriptorTouches(last, named[i + 1])) continue;
      (this.descriptors ??= new Set()).add(last);
      if (owner !== named[i] && owner.namedChildren.length === 1) idleLastStage = true;
    }
    let previousEnd = node.start;
    const nodeText = node.text;
    for (const child of named) {
      const gap = nodeText.slice(previousEnd - node.start, child.start - node.start);
      previousEnd = child.end;
      if (child === body) continue;
      if (child.type === 'heredoc_redirect') redirects.push(this.heredoc(child, redirects, later));
      else if (child.type === 'file_redirect' || child.type === 'herestring_redirect')
        redirects.push(this.withDroppedDashes(this.redirect(child), gap, child.start));
      else later.push(child);
    }
    const moved: Word[] = [];
    for (const r of redirects) if (r.arguments) for (const w of r.arguments) moved.push(w);
    if (body && body.type === 'command') this.command(body, redirects, node.text);
    else if (!body && moved.length > 0) {
      // `> out ls`: the words after the target are the command.
      this.push('command', node.text, [], moved, redirects);
    } else {
      // Bash gives them to a pipeline's last stage, or rejects them after a compound command.
      if (moved.length > 0) this.misparsed = true;
      if (redirects.length > 0) {
        this.push('redirect-only', node.text, [], [], redirects);
        if (idleLastStage) this.commands[this.commands.length - 1].bare = true;
      }
      if (body && this.bodyVisitor?.statement === node) this.bodyVisitor.visit(body);
      else if (body) this.visit(body, false);
      else if (this.commands.length > 0) this.commands[this.commands.length - 1].bare = true;
    }
    for (const statement of later) this.visit(statement, false);
  }

  private command(node: FlatNode, outerRedirects: Redirect[], text: string): void {
    const assignments: Assignment[] = [];
    const words: Word[] = [];
    const redirects = outerRedirects.slice();
    let previousEnd = -1;
    const nodeText = node.text;
    for (const child of node.children) {
      if (!child) continue;
      const gap = previousEnd < 0 ? '' : nodeText.slice(previousEnd - node.start, child.start - node.start);
      // The grammar skips `\ ` as blank, so `a⏎\ b` is one command to it and two to bash.
      if (gap.includes('\n') && UNESCAPED_NEWLINE.test(gap)) this.misparsed = true;
      previousEnd = child.end;
      if (this.descriptors?.has(child)) continue;
      switch (child.type) {
        case 'variable_assignment':
          assignments.push(this.assignment(child));
          break;
        case 'file_redirect':
        case 'herestring_redirect': {
          // Words the grammar hung on this redirection stand where it stands (`-x2>&1 echo` runs `-x2`).
          const redirect = this.withDroppedDashes(this.redirect(child), gap, child.start);
          redirects.push(redirect);
          if (redirect.arguments) words.push(...redirect.arguments);
          break;
        }
        case 'subshell':
          this.visit(child, false);
          break;
        default:
          words.push(this.word(child));
      }
    }
    for (const r of outerRedirects) if (r.arguments) words.push(...r.arguments);
    if (words.length === 0 && assignments.length === 0) {
      // Only the descriptor was left (`0>&-`): redirections without a command.
      this.push('redirect-only', text, [], [], redirects);
      this.commands[this.commands.length - 1].bare = true;
      return;
    }
    const first = words[0];
    if (first && !first.dynamic && this.functionStack.length > 0) {
      const current = this.functionStack[this.functionStack.length - 1];
      const parallel = this.parallel > 0;
      current.calls.set(first.value, (current.calls.get(first.value) ?? false) || parallel);
    }
    this.push('command', text, assignments, words, redirects);
  }

  private declaration(node: FlatNode, kind: 'declaration' | 'unset'): void {
    const assignments: Assignment[] = [];
    const words: Word[] = [];
    for (const child of node.children) {
      if (!child) continue;
      if (child.type === 'variable_assignment') assignments.push(this.assignment(child));
      else words.push(this.word(child));
    }
    this.push(kind, node.text, assignments, words, []);
  }

  private assignment(node: FlatNode): Assignment {
    const nameNode = node.firstNamed();
    let name = nameNode?.text ?? '';
    if (nameNode?.type === 'subscript') {
      // `x[$(cmd)]=1` runs the substitution in the index.
      this.visit(nameNode, false);
      name = nameNode.firstNamed('variable_name')?.text ?? name;
    }
    const equals = node.children.findIndex((c) => c.type === '=' || c.type === '+=');
    const valueNode = equals >= 0 ? node.children.slice(equals + 1).find((c) => c.isNamed) : undefined;
    return { name, value: valueNode ? this.word(valueNode) : undefined };
  }

  /**
   * `a - 1>f`, `git status >&--` (bash prints it `git status - 1>&-`): the grammar drops a lone `-` standing
   * before a descriptor's redirection, while bash gives it to the command. The gap before the redirection
   * (ending at `end`) is where it went missing: the words found there join the command where it stands.
   */
  private withDroppedDashes(redirect: Redirect, gap: string, end: number): Redirect {
    if (!gap.includes('-')) return redirect;
    const tokens = gap.split(/\s+/).filter((token) => token !== '');
    if (tokens.length === 0 || !tokens.every((token) => token === '-')) return redirect;
    for (let at = gap.indexOf('-'); at >= 0; at = gap.indexOf('-', at + 1)) this.recovered.push(end - gap.length + at);
    return { ...redirect, arguments: [...tokens.map(() => literalWord('-')), ...(redirect.arguments ?? [])] };
  }

  private redirect(node: FlatNode): Redirect {
    let op = '';
    let fd: string | undefined;
    const targets: Word[] = [];
    const args: Word[] = [];
    let herestring: Word | undefined;
    for (const child of node.children) {
      if (!child) continue;
      if (!child.isNamed) {
        if (op === '') op = child.type;
        continue;
      }
      if (this.descriptors?.has(child)) continue;
      if (child.type === 'file_descriptor') {
        // `x2>&1` is the word `x2` to bash; the grammar may cut a descriptor off a word (`[]2>&1`).
        if (!child.boundaryBefore()) this.misparsed = true;
        if (FILE_DESCRIPTOR.test(child.text)) fd = child.text;
        else args.push(literalWord(child.text));
      } else if (child.type === 'ERROR') {
        this.visit(child, false);
        op += child.text; // `<>` parses as `<` + ERROR(`>`)
      } else if (node.type === 'herestring_redirect') {
        if (herestring) args.push(this.word(child));
        else herestring = this.word(child);
      } else targets.push(this.word(child));
    }
    // `>& -x`, `<& -.env`: after `>&`/`<&`, even past blanks, bash reads an unquoted `-` as "close" and the
    // rest of the word as a word of the command (`git push >& ---force` runs `git push --force`). The grammar
    // reads one target word (`-x`, a file): split it as bash does.
    const first = targets[0];
    if ((op === '>&' || op === '<&') && first !== undefined && first.shape.startsWith('-')) {
      op = `${op}-`;
      // `-""` is a close and an empty word to bash (a command named `""` when nothing precedes it).
      targets.splice(0, 1, ...(first.raw.length > 1 ? [sliceWord(first, 1)] : []));
    }
    // A redirection takes one word (none for `>&-`); bash gives the rest to the command.
    args.push(...targets.splice(op === '>&-' || op === '<&-' ? 0 : 1));
    const moved = args.length > 0 ? { arguments: args } : {};
    if (node.type === 'herestring_redirect')
      return { op: '<<<', fd, targets, herestring, dynamicInput: herestring?.dynamic ?? false, ...moved };
    return { op, fd, targets, ...moved };
  }

  private heredoc(node: FlatNode, redirects: Redirect[], later: FlatNode[]): Redirect {
    let op = '<<';
    const args: Word[] = [];
    let quotedDelimiter = false;
    let body: FlatNode | undefined;
    let fd: string | undefined;
    for (const child of node.children) {
      if (!child) continue;
      if (!child.isNamed) {
        if (child.type === '<<' || child.type === '<<-') op = child.type;
        continue;
      }
      switch (child.type) {
        case 'heredoc_start':
          quotedDelimiter = /['"\\]/.test(child.text);
          break;
        case 'heredoc_body':
          body = child;
          break;
        case 'heredoc_end':
          break;
        case 'file_descriptor':
          fd = child.text;
          break;
        case 'file_redirect':
        case 'herestring_redirect':
          redirects.push(this.redirect(child));
          break;
        default:
          // `cat <<EOF .env`: a word after the delimiter is an argument of the command.
          if (WORD_TYPES.has(child.type)) args.push(this.word(child));
          else later.push(child);
      }
    }
    let text = '';
    let dynamic = false;
    if (body) {
      text = body.text;
      if (!quotedDelimiter) {
        // An unquoted heredoc expands `$…` and `` `…` `` when it is read: those run.
        if (body.children.length > 0) {
          dynamic = body.namedChildren.some((c) => c.type !== 'heredoc_content');
          this.visit(body, false);
        }
        if (text.includes('\\') || text.includes('$') || text.includes('`')) dynamic = true;
        if (hasUnseenSubstitution(body)) this.misparsed = true;
      }
      if (op === '<<-') text = text.replace(/^\t+/gm, '');
    }
    return {
      op,
      fd,
      targets: [],
      heredoc: dynamic ? undefined : text,
      dynamicInput: dynamic,
      ...(args.length > 0 ? { arguments: args } : {}),
    };
  }

  word(node: FlatNode): Word {
    const start = this.commands.length;
    const builder = new WordBuilder();
    this.append(node, builder);
    return finishWord(node.text, builder.value, builder.shape, start, this.commands.length, builder.homeMarker);
  }

  private append(node: FlatNode, b: WordBuilder): void {
    switch (node.type) {
      case 'word': {
        const text = node.text;
        if (text.includes('\n') && UNESCAPED_NEWLINE.test(text)) this.misparsed = true;
        b.unquoted(text);
        return;
      }
      case 'raw_string': {
        const t = node.text;
        b.quoted(t.slice(1, t.endsWith("'") && t.length > 1 ? -1 : undefined));
        return;
      }
      case 'ansi_c_string': {
        const t = node.text;
        b.quoted(decodeAnsiC(t.slice(2, t.endsWith("'") && t.length > 2 ? -1 : undefined)));
        return;
      }
      case 'string':
      case 'translated_string':
        for (const child of node.children) {
          if (!child) continue;
          if (child.type === 'string_content') b.doubleQuoted(child.text);
          else if (child.type === '"' || child.type === '$"') continue;
          else if (!child.isNamed) b.quoted(child.text);
          else if (child.type === 'string') this.append(child, b);
          else this.expansion(child, b);
        }
        return;
      case 'concatenation':
      case 'command_name': {
        let previous: FlatNode | undefined;
        for (const child of node.children) {
          // Parts of one word touch; a gap (`\;⇥``2`) means the grammar glued two words bash keeps apart.
          if (previous && previous.end !== child.start) this.misparsed = true;
          this.append(child, b);
          previous = child;
        }
        return;
      }
      case 'number':
        if (node.children.length === 0) b.unquoted(node.text);
        else this.expansion(node, b);
        return;
      case 'brace_expression':
        b.unquoted(node.text);
        return;
      case 'regex':
      case 'extglob_pattern':
        b.unquoted(node.text);
        return;
      default:
        if (!node.isNamed) b.unquoted(node.text);
        else this.expansion(node, b);
    }
  }

  private expansion(node: FlatNode, b: WordBuilder): void {
    if (
      (node.type === 'simple_expansion' || node.type === 'expansion') &&
      b.value === '' &&
      plainVariable(node) === 'HOME'
    ) {
      b.home();
      return;
    }
    b.expanded(node.text);
    // Whatever is inside an expansion may hold a substitution that runs.
    if (node.type === 'command_substitution' || node.type === 'process_substitution') this.substitution(node);
    else {
      if (node.type === 'expansion') {
        if (hasTextSubstitution(node)) this.misparsed = true;
        this.assigningExpansion(node);
      }
      if (node.children.length > 0) this.children(node);
    }
  }

  /** `${CDPATH:=/x}`, `${GLOBIGNORE=x}`: the expansion assigns its variable when it is unset, like `CDPATH=/x`. */
  private assigningExpansion(node: FlatNode): void {
    const children = node.children;
    for (let i = 1; i + 1 < children.length; i++) {
      const operator = children[i + 1].type;
      if (children[i].type === 'variable_name' && (operator === '=' || operator === ':=')) {
        this.push('assignment', node.text, [{ name: children[i].text, value: undefined }], [], []);
        return;
      }
    }
  }

  private push(
    kind: SimpleCommandKind,
    text: string,
    assignments: Assignment[],
    words: Word[],
    redirects: Redirect[],
  ): void {
    this.commands.push({ kind, text, assignments, words, redirects, pipes: this.pipes });
  }
}

function lastNamed(node: FlatNode): FlatNode | undefined {
  const named = node.namedChildren;
  return named[named.length - 1];
}

/** Digits that touch a redirection without a descriptor of its own are that descriptor to bash. */
function descriptorTouches(word: FlatNode, redirect: FlatNode): boolean {
  if (!/^\d+$/.test(word.text) || word.end !== redirect.start || !REDIRECT_TYPES.has(redirect.type)) return false;
  return !redirect.children.some((c) => c.type === 'file_descriptor');
}

/**
 * Whether an unquoted heredoc body holds `$(`, `${` or a backquote that bash would expand but the grammar left
 * inside plain heredoc text (it does for a body whose lines start with a tab): what would run there is unseen.
 */
function hasUnseenSubstitution(body: FlatNode): boolean {
  const seen = body.children.filter((c) => c.isNamed && c.type !== 'heredoc_content');
  const text = body.text;
  for (const match of text.matchAll(/(\\*)(\$[({]|`)/g)) {
    if (match[1].length % 2 === 1) continue; // `\$(` is literal text in a heredoc
    const offset = body.start + match.index + match[1].length;
    if (!seen.some((c) => c.start <= offset && offset < c.end)) return true;
  }
  return false;
}

/** Quoted text inside `${…}` that bash leaves alone, and substitutions the grammar did parse. */
const OPAQUE_IN_EXPANSION = new Set(['raw_string', 'ansi_c_string', 'command_substitution', 'process_substitution']);

/**
 * Whether the operand of a `${…}` holds a backquote, `$(` or `<(`/`>(` that the grammar left as plain text
 * (it does for `${x:-`id`}`, `${x/`id`/}`, `${x:-<(id)}`): bash runs it when it expands the parameter.
 */
function hasTextSubstitution(expansion: FlatNode, quoted = false): boolean {
  for (const child of expansion.children) {
    if (OPAQUE_IN_EXPANSION.has(child.type) || child.type === 'expansion') continue;
    if (child.children.length > 0) {
      if (hasTextSubstitution(child, quoted || child.type === 'string')) return true;
      continue;
    }
    // Between double quotes `<(` is plain text to bash too.
    const pattern = quoted ? /(\\*)(`|\$\()/g : /(\\*)(`|\$\(|[<>]\()/g;
    for (const match of child.text.matchAll(pattern)) if (match[1].length % 2 === 0) return true;
  }
  return false;
}
