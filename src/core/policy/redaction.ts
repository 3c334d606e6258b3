// Replaces secret-shaped values with `[REDACTED:<kind>]` before text reaches the model or a log: a tool
// output (a config file, `env`, a failing curl) must not carry the user's keys to the model provider or
// into the audit file. Every pattern is linear-time: outputs of a megabyte are redacted on every call.

interface TokenRule {
  kind: string;
  /** Cheap substring test that must hold before the regex runs. */
  needle?: string;
  re: RegExp;
  /** Optional second look at a match, to spare ordinary text that merely has the shape. */
  accept?: (match: string) => boolean;
}

const hasDigitAndLetter = (s: string): boolean => /\d/.test(s) && /[A-Za-z]/.test(s);

// Providers' key formats. Bounded or single character-class runs, anchored by a lookbehind so a scan
// never restarts inside a long run (no quadratic backtracking).
const TOKEN_RULES: readonly TokenRule[] = [
  { kind: 'anthropic-key', needle: 'sk-ant-', re: /(?<![A-Za-z0-9_-])sk-ant-[A-Za-z0-9_-]{20,}/g },
  // sk-…, sk-proj-…, sk-svcacct-…; a digit is required so `sk-long-kebab-case-css-class-name` survives.
  { kind: 'openai-key', needle: 'sk-', re: /(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{20,}/g, accept: hasDigitAndLetter },
  { kind: 'github-token', needle: 'gh', re: /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,255}(?![A-Za-z0-9])/g },
  {
    kind: 'github-token',
    needle: 'github_pat_',
    re: /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{22,255}(?![A-Za-z0-9_])/g,
  },
  {
    kind: 'slack-token',
    needle: 'xox',
    re: /(?<![A-Za-z0-9_-])xox[baprs]-[A-Za-z0-9-]{10,}/g,
    accept: hasDigitAndLetter,
  },
  { kind: 'google-api-key', needle: 'AIza', re: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g },
  { kind: 'stripe-key', needle: '_live_', re: /(?<![A-Za-z0-9_])(?:sk|rk)_live_[0-9A-Za-z]{10,}/g },
  { kind: 'stripe-key', needle: '_test_', re: /(?<![A-Za-z0-9_])(?:sk|rk)_test_[0-9A-Za-z]{10,}/g },
  { kind: 'aws-access-key-id', re: /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g },
  { kind: 'jwt', needle: 'eyJ', re: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g },
];

const PRIVATE_KEY_BEGIN = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;
const PRIVATE_KEY_END = /-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;

/**
 * Whole `BEGIN … PRIVATE KEY` blocks. Done with indexed scans rather than one lazy regex, which would
 * rescan to the end of the text for every unterminated BEGIN. An unterminated block (a cut-off output)
 * is redacted to the end of the text.
 */
function redactPrivateKeys(text: string): string {
  if (!text.includes('PRIVATE KEY')) return text;
  let out = '';
  let from = 0;
  PRIVATE_KEY_BEGIN.lastIndex = 0;
  for (let begin = PRIVATE_KEY_BEGIN.exec(text); begin; begin = PRIVATE_KEY_BEGIN.exec(text)) {
    PRIVATE_KEY_END.lastIndex = begin.index + begin[0].length;
    const end = PRIVATE_KEY_END.exec(text);
    const stop = end ? end.index + end[0].length : text.length;
    out += text.slice(from, begin.index) + '[REDACTED:private-key]';
    from = stop;
    PRIVATE_KEY_BEGIN.lastIndex = stop;
  }
  return out + text.slice(from);
}

// `Authorization: Bearer x`, `"authorization": "token x"`, `Proxy-Authorization: Basic x`.
const AUTHORIZATION_HEADER =
  /(\bAuthorization["']?[ \t]*[:=][ \t]*["']?((?:Bearer|Basic|Token|Bot|Digest|Negotiate|NTLM)[ \t]+)?)([A-Za-z0-9._~+/=-]{8,})/gi;
// A bearer token outside a header (`curl -H "…Bearer x"` already matched above; logs, JSON, env).
const BEARER = /(?<![A-Za-z0-9])([Bb]earer[ \t]+)([A-Za-z0-9._~+/-]{12,}=*)/g;
// scheme://user:password@host — the password goes, the user name stays (it tells which account).
const URL_CREDENTIALS = /(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/[^\s/?#@:]+:)([^\s/?#@]+)@/g;

// NAME<sep>value, where NAME ends with a secret word: env files, `export`, YAML, JSON, TOML, INI,
// properties, CLI flags. The name is bounded (≤ 102 chars) and must start a word, so a scan is linear.
const ASSIGNMENT =
  /(?<![\w.-])(["']?)(-{0,2}[A-Za-z_][\w.-]{0,100})\1([ \t]*)(:=|[:=])([ \t]*)(?:"([^"\r\n]*)"|'([^'\r\n]*)'|([^\s"'`,;)}\]]+))?/g;
const SECRET_SUFFIX = /(key|secret|token|password|passwd|pwd|credentials)$/i;
// Names ending in a secret word that hold nothing secret (database keys, public keys, paging cursors, `PWD`).
const NOT_SECRET_PREFIX =
  /(?:^|[_.-]|(?<=[a-z0-9]))(?:public|primary|foreign|sort|partition|cache|hash|range|unique|composite|lookup|row|index|group|shortcut|hot|cursor|page|next|continuation|translation|i18n|storage|object)[_.-]?$/i;
const PLACEHOLDER = /^(?:\$|%[A-Za-z_]|\{\{|<[^>]*>$|\*{3,}|x{3,}$|\[REDACTED|!|&|\*[A-Za-z]|[|>][-+]?$)/i;
// Booleans, nulls, type names, lint levels (`"no-useless-computed-key": "error"`), CI permissions (`id-token: write`).
const KEYWORD =
  /^(?:true|false|null|none|nil|undefined|yes|no|on|off|required|optional|string|str|number|int|integer|bool|boolean|any|unknown|object|bytes|secretstr|error|warn|warning|read|write)$/i;
// Dependency ranges: `"path-key": "^3.1.0"` in package.json.
const VERSION = /^[~^<>=]*v?\d+(?:\.(?:\d+|x|\*))+(?:[-+][\w.-]*)?$/;
// An expression continues after the literal: `'seen' + n`, `'a' | 'b'` (a type), `'x'.trim()`, `? 'a' : 'b'`.
const EXPRESSION_AFTER = /[ \t]*[-+*|&?.:[(]/y;
const DOTTED_IDENTIFIER = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/;
const CODE_CHARS = /[()[\]{}<>]/;
const LINE_PREFIX = /^[ \t]*(?:(?:export|set|setx|ENV|ARG|declare(?:[ \t]+-x)?)[ \t]+|-[ \t]+)?$/;

/**
 * True for a setting or variable name that conventionally holds a secret (`API_KEY`, `clientSecret`, `db.password`).
 */
export function isSecretName(rawName: string): boolean {
  const name = rawName.replace(/^-+/, '');
  const m = SECRET_SUFFIX.exec(name);
  if (!m) return false;
  const start = m.index;
  const word = m[1].toLowerCase();
  if (start === 0) return word !== 'key' && word !== 'pwd'; // bare `key` is a map key; `PWD` is the shell's cwd
  if (name === 'OLDPWD') return false;
  const before = name.slice(0, start);
  const prev = name[start - 1];
  const boundary =
    prev === '_' ||
    prev === '.' ||
    prev === '-' ||
    (/[A-Z]/.test(name[start]) && /[a-z0-9]/.test(prev)) ||
    name === name.toUpperCase();
  if (!boundary) return false; // `monkey`, `hotkey`, `turkey`
  return !NOT_SECRET_PREFIX.test(before);
}

function isCodeOrPlaceholder(value: string): boolean {
  return (
    PLACEHOLDER.test(value) ||
    KEYWORD.test(value) ||
    VERSION.test(value) ||
    DOTTED_IDENTIFIER.test(value) ||
    CODE_CHARS.test(value) ||
    value.startsWith('=')
  );
}

function expressionFollows(text: string, index: number): boolean {
  EXPRESSION_AFTER.lastIndex = index;
  return EXPRESSION_AFTER.test(text);
}

/** Whether the match starts a line (after `export`, `set`, `ENV`, a YAML `- `): a config entry, not code. */
function startsLine(text: string, offset: number): boolean {
  // Looks back a bounded distance only: an unbounded lastIndexOf would make one long line quadratic.
  const from = Math.max(0, offset - 40);
  const before = text.slice(from, offset);
  const newline = before.lastIndexOf('\n');
  if (newline < 0 && from > 0) return false;
  return LINE_PREFIX.test(newline < 0 ? before : before.slice(newline + 1));
}

const LINE_END = /[ \t]*(?:#|\r?\n|$)/y;

function endsLine(text: string, index: number): boolean {
  LINE_END.lastIndex = index;
  return LINE_END.test(text);
}

function redactAssignments(text: string): string {
  return text.replace(
    ASSIGNMENT,
    (
      match,
      quote: string,
      name: string,
      sp1: string,
      sep: string,
      sp2: string,
      dq?: string,
      sq?: string,
      bare?: string,
      offset?: number,
    ) => {
      if (!isSecretName(name)) return match;
      const head = `${quote}${name}${quote}${sp1}${sep}${sp2}`;
      const quoted = dq ?? sq;
      if (quoted !== undefined) {
        // An empty value, a prompt (`"Enter your password"`) or a template is not a secret.
        if (quoted === '' || /\s/.test(quoted) || isCodeOrPlaceholder(quoted)) return match;
        // `Token = "token"` names itself; an operator after the literal makes it part of an expression.
        if (
          quoted.toLowerCase() === name.replace(/^-+/, '').toLowerCase() ||
          expressionFollows(text, (offset ?? 0) + match.length)
        )
          return match;
        const q = dq !== undefined ? '"' : "'";
        return `${head}${q}[REDACTED:secret]${q}`;
      }
      if (bare === undefined || bare === '' || isCodeOrPlaceholder(bare)) return match;
      const at = offset ?? 0;
      // A config entry owns its line (`password: x`, `TOKEN=x # note`); code goes on (`key;`, `? a : b`).
      if (startsLine(text, at) && endsLine(text, at + match.length)) {
        if (/^\d+$/.test(bare) && (sp1 !== '' || sp2 !== '')) return match; // `token = 14`: a number in code or config
        return `${head}[REDACTED:secret]`;
      }
      // Mid-line, unquoted (`connect(password=pw)`, `{ token: input }`): only values that look generated.
      if (bare.length >= 8 && hasDigitAndLetter(bare)) return `${head}[REDACTED:secret]`;
      return match;
    },
  );
}

/** Replaces secret-shaped values with `[REDACTED:<kind>]`; everything else is left exactly as it was. */
export function redactSecrets(text: string): string {
  if (typeof text !== 'string' || text.length === 0) return text;
  let out = redactPrivateKeys(text);
  for (const rule of TOKEN_RULES) {
    if (rule.needle !== undefined && !out.includes(rule.needle)) continue;
    const accept = rule.accept;
    out = out.replace(rule.re, (m) => (accept && !accept(m) ? m : `[REDACTED:${rule.kind}]`));
  }
  if (out.includes('://')) out = out.replace(URL_CREDENTIALS, '$1[REDACTED:url-password]@');
  if (/authorization/i.test(out)) {
    // With a scheme the value is a credential; without one, only when it looks generated (not `required`).
    out = out.replace(AUTHORIZATION_HEADER, (m, head: string, scheme: string | undefined, value: string) =>
      scheme !== undefined || value.length >= 20 || hasDigitAndLetter(value) ? `${head}[REDACTED:authorization]` : m,
    );
  }
  if (/[Bb]earer/.test(out))
    out = out.replace(BEARER, (m, prefix: string, token: string) =>
      /\d/.test(token) ? `${prefix}[REDACTED:bearer-token]` : m,
    );
  return redactAssignments(out);
}
