// Expansions that make bash evaluate a value again as code. Arithmetic (`$((x))`, `$[x]`, `((x))`, `let`,
// `${s:x}`, `a[x]`, `[[ $x -eq 1 ]]`) reads the value of `x` as an expression, and an expression may hold
// `a[$(cmd)]`, which runs `cmd`; `${!x}` and names given to builtins (`read 'a[$(cmd)]'`) evaluate a
// subscript the same way; `${x@P}` expands a value like a prompt, `$(…)` included. The value can come from
// anywhere the line does not show: a file name (`for f in *`), an earlier command, the environment. `$_`
// and `BASH_COMMAND` hold text of the line itself. None of these is ever covered by an allow entry.
import { isSecretName } from '../../redaction';
import type { FlatNode } from './flatTree';
import type { Word } from './words';

/** One place in a script where bash would evaluate a value as code. */
export interface Reevaluation {
  text: string;
  reason: string;
  /** `reevaluated-expansion` unless said otherwise. */
  rule?: string;
}

/** `$AWS_SECRET_ACCESS_KEY`: the value of a secret-looking variable would be printed or sent. */
function secretVariable(text: string, name: string): Reevaluation | undefined {
  if (!isSecretName(name)) return undefined;
  return {
    text,
    rule: 'secret-variable',
    reason: `Expands \`${name}\`, whose name says it holds a secret: its value would be printed or passed on.`,
  };
}

const NUMERIC_PARAMETERS = /\$[#?$!]|\$\{[#?$!]\}/g;
const NUMBER_LITERALS = /\b(?:0[xX][0-9a-fA-F]+|\d+#[0-9A-Za-z@_]+|\d+)\b/g;
/** Arithmetic comparison operators of `test`, `[` and `[[`: their operands are evaluated as arithmetic. */
const ARITHMETIC_TESTS = new Set(['-eq', '-ne', '-lt', '-le', '-gt', '-ge']);
/** Variables whose value is text of the command line itself. */
const LINE_TEXT_VARIABLES = new Set(['_', 'BASH_COMMAND', 'BASH_EXECUTION_STRING']);
const LITERAL_INDEX = /^(\d+|@|\*)$/;
const SUBSCRIPTED_NAME = /^[A-Za-z_][A-Za-z0-9_]*\[(.*)\]/s;

/** Whether an arithmetic expression reads anything but literal numbers (a variable, an expansion, a subscript). */
export function arithmeticReadsValues(expression: string): boolean {
  const rest = expression.replace(NUMERIC_PARAMETERS, '0').replace(NUMBER_LITERALS, '0');
  return /[A-Za-z_$`[\]]/.test(rest);
}

function arithmetic(text: string): Reevaluation {
  return {
    text,
    reason:
      'Evaluates variables as arithmetic, and bash runs any `$(…)` held in their values (a file name or an ' +
      'earlier command may have put one there).',
  };
}

function subscriptName(text: string): Reevaluation {
  return {
    text,
    reason: 'Gives bash a variable name with a subscript, which it evaluates: a `$(…)` in it would run.',
  };
}

/** What `${…}` evaluates again, if anything. */
function parameterExpansion(text: string): Reevaluation | undefined {
  const body = text.slice(2, text.endsWith('}') ? -1 : undefined);
  if (body.startsWith('!') && !/^![A-Za-z_][A-Za-z0-9_]*(\[[@*]\]|[@*])$/.test(body))
    return {
      text,
      reason:
        'Reads the variable whose name is stored in another one and evaluates a subscript in that name, so a ' +
        '`$(…)` held in it runs.',
    };
  const name = /^#?([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[-#?$!*@_])/.exec(body);
  if (!name) return undefined;
  if (LINE_TEXT_VARIABLES.has(name[1])) return lineText(text, name[1]);
  const secret = secretVariable(text, name[1]);
  if (secret) return secret;
  const rest = body.slice(name[0].length);
  if (rest.endsWith('@P')) return { text, reason: 'Expands a value like a prompt, which runs any `$(…)` in it.' };
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    const index = close > 0 ? rest.slice(1, close) : rest.slice(1);
    if (!LITERAL_INDEX.test(index) && arithmeticReadsValues(index)) return arithmetic(text);
  }
  // `${s:offset:length}` (not `${s:-x}`, `${s:=x}`, `${s:?x}`, `${s:+x}`): both are arithmetic.
  const substring = /^(\[[^\]]*\])?:(?![-=?+])(.*)$/s.exec(rest);
  if (substring && arithmeticReadsValues(substring[2])) return arithmetic(text);
  return undefined;
}

function lineText(text: string, name: string): Reevaluation {
  return {
    text,
    reason:
      `\`${name}\` holds text of the command line itself, which Warden cannot follow: passed on or evaluated ` +
      'again, a `$(…)` in it would run.',
  };
}

/**
 * Where a parse tree node makes bash evaluate a value again. Called for every node of the tree; nodes
 * nested in the one given are visited on their own.
 */
export function reevaluationAt(node: FlatNode): Reevaluation | undefined {
  switch (node.type) {
    case 'arithmetic_expansion': {
      const text = node.text;
      const inner = text.startsWith('$((') ? text.slice(3, -2) : text.slice(2, -1);
      return arithmeticReadsValues(inner) ? arithmetic(text) : undefined;
    }
    case 'command_substitution': {
      // The grammar reads `$((y))` as `$(` + a subshell inside `${…}` and heredocs; bash reads arithmetic.
      const text = node.text;
      return text.startsWith('$((') && text.endsWith('))') && arithmeticReadsValues(text.slice(3, -2))
        ? arithmetic(text)
        : undefined;
    }
    case 'compound_statement': {
      const text = node.text;
      return text.startsWith('((') && arithmeticReadsValues(text.slice(2, -2)) ? arithmetic(text) : undefined;
    }
    case 'c_style_for_statement': {
      const header = node.children.filter((c) => c.isNamed && c.type !== 'do_group' && c.type !== 'compound_statement');
      const text = header.map((c) => c.text).join('; ');
      return header.some((c) => arithmeticReadsValues(c.text)) ? arithmetic(`for ((${text}))`) : undefined;
    }
    case 'expansion':
      return parameterExpansion(node.text);
    case 'simple_expansion': {
      const name = node.text.slice(1);
      return LINE_TEXT_VARIABLES.has(name) ? lineText(node.text, name) : secretVariable(node.text, name);
    }
    case 'subscript': {
      // `a[i]=1`, `declare a[i]`: the index of an indexed array is arithmetic.
      const index = node.children.find((c, i) => i > 0 && c.isNamed);
      return index && !LITERAL_INDEX.test(index.text) && arithmeticReadsValues(index.text)
        ? arithmetic(node.text)
        : undefined;
    }
    case 'test_command':
      return testExpression(node);
    default:
      return undefined;
  }
}

/** `[[ $x -eq 1 ]]`, `[ x -lt 2 ]`: arithmetic operands; `[[ -v a[i] ]]`: a subscript. */
function testExpression(node: FlatNode): Reevaluation | undefined {
  const stack = [...node.children];
  for (let n = stack.pop(); n; n = stack.pop()) {
    if (n.type === 'binary_expression') {
      const operator = n.children.find((c) => c.type === 'test_operator');
      if (operator && ARITHMETIC_TESTS.has(operator.text)) {
        const operands = n.children.filter((c) => c.isNamed && c !== operator);
        if (operands.some((c) => !/^-?\d+$/.test(c.text))) return arithmetic(node.text);
      }
    } else if (n.type === 'unary_expression') {
      const operator = n.children.find((c) => c.type === 'test_operator');
      const operand = n.children.find((c) => c.isNamed && c !== operator);
      if (operator?.text === '-v' && operand && subscriptEvaluates(operand.text)) return subscriptName(node.text);
    }
    stack.push(...n.children);
  }
  return undefined;
}

/** `a[i]`, `'a[$(cmd)]'`: a variable name whose subscript bash evaluates. */
function subscriptEvaluates(name: string): boolean {
  const unquoted = name.replace(/^['"]|['"]$/g, '');
  const match = SUBSCRIPTED_NAME.exec(unquoted);
  return match !== null && !LITERAL_INDEX.test(match[1]) && arithmeticReadsValues(match[1]);
}

/**
 * Builtins given variable names or arithmetic as words: `let`, `test`/`[` comparisons, the names of `read`,
 * `mapfile`, `unset`, `declare`, `printf -v`… A name with a subscript (`'a[$(cmd)]'`) evaluates it.
 */
export function reevaluatingArguments(name: string, args: readonly Word[]): Reevaluation | undefined {
  const text = [name, ...args.map((w) => w.raw)].join(' ');
  if (name === 'let') {
    if (
      args.some(
        (w) => w.dynamic || arithmeticReadsValues(w.value.replace(/^[A-Za-z_][A-Za-z0-9_]*\s*[-+*/%&|^]?=/, '')),
      )
    )
      return arithmetic(text);
    return undefined;
  }
  if (name === 'test' || name === '[') {
    for (let i = 1; i + 1 < args.length; i++) {
      if (!ARITHMETIC_TESTS.has(args[i].value)) continue;
      if ([args[i - 1], args[i + 1]].some((w) => w.dynamic || !/^-?\d+$/.test(w.value))) return arithmetic(text);
    }
  }
  for (const w of args) if (w.dynamic ? /\[/.test(w.raw) : subscriptEvaluates(w.value)) return subscriptName(text);
  return undefined;
}
