// One shell word as bash sees it after quote removal, with flags for what the shell would still expand,
// and the builder that assembles a word from the pieces of its parse node.

/**
 * One shell word. `value` and `shape` have the same length: `shape` holds the unquoted literal
 * characters as they are, `\u0001` for quoted or escaped ones and `\u0000` for expanded ones, so a
 * slice of a word (an option's attached value) keeps knowing what the shell would expand.
 */
export interface Word {
  /** Source text as written. */
  raw: string;
  /** Value after quote removal; expansions keep their source text. `$HOME`/`${HOME}` become `~`. */
  value: string;
  shape: string;
  /** Holds an expansion or substitution: the value is unknown until the command runs. */
  dynamic: boolean;
  /** Unquoted glob characters: may name other files than written. */
  glob: boolean;
  /** Unquoted brace expansion: `{a,b}`, `{1..3}`. */
  brace: boolean;
  /** Starts with an unquoted `~` (or `$HOME`): tilde expansion applies. */
  tilde: boolean;
  /** An unquoted `~` after the first character (`a=~/x`, `--file=~/x`). */
  innerTilde: boolean;
  /** Commands inside this word's substitutions: `[subStart, subEnd)` in the script's `commands`. */
  subStart: number;
  subEnd: number;
}

const UNQUOTED_GLOB = /[*?[]/;
// eslint-disable-next-line no-control-regex -- \u0000 marks expanded characters in a word's shape
const UNQUOTED_BRACE = /\{[^{}\u0000]*(?:,|\.\.)[^{}\u0000]*\}/;
/** Marks a quoted or escaped character in a word's shape. */
const QUOTED = '\u0001';
/** Marks an expanded character in a word's shape. */
const EXPANDED = '\u0000';

export function finishWord(
  raw: string,
  value: string,
  shape: string,
  subStart: number,
  subEnd: number,
  homeMarker: boolean,
): Word {
  let dynamic = shape.includes(EXPANDED);
  // `${HOME}x` would be `~x`, another user's home: only `$HOME` alone or followed by `/` is known.
  if (homeMarker && value.length > 1 && value[1] !== '/') dynamic = true;
  return {
    raw,
    value,
    shape,
    dynamic,
    glob: UNQUOTED_GLOB.test(shape),
    brace: UNQUOTED_BRACE.test(shape),
    tilde: shape.charCodeAt(0) === 0x7e,
    innerTilde: shape.indexOf('~', 1) > 0,
    subStart,
    subEnd,
  };
}

/** A word made from part of another (an option's attached value, the path in `REV:PATH`). */
export function sliceWord(word: Word, start: number): Word {
  const value = word.value.slice(start);
  const shape = word.shape.slice(start);
  return finishWord(value, value, shape, word.subStart, word.subEnd, false);
}

/** A word that is exactly the given literal text (as if single-quoted). */
export function literalWord(text: string): Word {
  return finishWord(text, text, QUOTED.repeat(text.length), 0, 0, false);
}

/** A word standing for a value only known at run time (`{}` in `find -exec`, arguments `xargs` adds). */
export function runtimeWord(text: string): Word {
  return finishWord(text, text, EXPANDED.repeat(text.length), 0, 0, false);
}

const ANSI_C_SIMPLE: Record<string, string> = {
  a: '\x07',
  b: '\b',
  e: '\x1b',
  E: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
};

/** `$'…'` content: escapes decoded as bash does, so `$'\x72m'` is seen as `rm`. */
export function decodeAnsiC(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\' || i + 1 >= body.length) {
      out += c;
      continue;
    }
    const n = body[++i];
    const simple = ANSI_C_SIMPLE[n];
    if (simple !== undefined) {
      out += simple;
    } else if (n >= '0' && n <= '7') {
      let digits = n;
      while (digits.length < 3 && i + 1 < body.length && body[i + 1] >= '0' && body[i + 1] <= '7') digits += body[++i];
      out += String.fromCharCode(parseInt(digits, 8) & 0xff);
    } else if (n === 'x' || n === 'u' || n === 'U') {
      const max = n === 'x' ? 2 : n === 'u' ? 4 : 8;
      let digits = '';
      while (digits.length < max && i + 1 < body.length && /[0-9a-fA-F]/.test(body[i + 1])) digits += body[++i];
      if (digits === '') out += `\\${n}`;
      else {
        const code = parseInt(digits, 16);
        out += code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
      }
    } else if (n === 'c' && i + 1 < body.length) {
      out += String.fromCharCode(body.charCodeAt(++i) & 0x1f);
    } else {
      out += `\\${n}`;
    }
  }
  return out;
}

/** Builds one Word from a node, collecting the commands of any substitution inside it. */
export class WordBuilder {
  value = '';
  shape = '';
  homeMarker = false;

  unquoted(text: string): void {
    if (!text.includes('\\')) {
      this.value += text;
      this.shape += text;
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '\\' && i + 1 < text.length) {
        const n = text[++i];
        if (n === '\n') continue; // line continuation
        this.value += n;
        this.shape += QUOTED;
      } else {
        this.value += c;
        this.shape += c;
      }
    }
  }

  quoted(text: string): void {
    this.value += text;
    this.shape += QUOTED.repeat(text.length);
  }

  /** Inside double quotes only `\$ \` \" \\` and `\<newline>` are escapes. */
  doubleQuoted(text: string): void {
    if (!text.includes('\\')) {
      this.quoted(text);
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '\\' && i + 1 < text.length) {
        const n = text[i + 1];
        if (n === '\n') {
          i++;
          continue;
        }
        if (n === '$' || n === '`' || n === '"' || n === '\\') {
          i++;
          this.value += n;
          this.shape += QUOTED;
          continue;
        }
      }
      this.value += c;
      this.shape += QUOTED;
    }
  }

  expanded(text: string): void {
    this.value += text;
    this.shape += EXPANDED.repeat(Math.max(1, text.length));
    if (text.length === 0) this.value += EXPANDED;
  }

  home(): void {
    this.value += '~';
    this.shape += '~';
    this.homeMarker = true;
  }
}
