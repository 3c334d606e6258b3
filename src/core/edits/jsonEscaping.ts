// One level of JSON string escaping, undone: a model that encodes its arguments twice sends old_text as `a = \"x\";\n`
// with a literal backslash-n. Strict on purpose: every backslash must start a JSON escape and no quote may be bare,
// or the text is taken as written (a regex `\d` or a string literal's `\n` in real code stays what it is).

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f' };

/** The text with one level of escaping removed, or undefined when it is not consistently escaped. */
export function undoJsonEscaping(text: string): string | undefined {
  if (!text.includes('\\')) return undefined;
  let out = '';
  let from = 0;
  for (let at = text.indexOf('\\'); at !== -1; at = text.indexOf('\\', from)) {
    const plain = text.slice(from, at);
    if (plain.includes('"')) return undefined;
    out += plain;
    const code = text[at + 1];
    if (code === 'u') {
      const hex = text.slice(at + 2, at + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) return undefined;
      out += String.fromCharCode(parseInt(hex, 16));
      from = at + 6;
    } else {
      const decoded = code === undefined ? undefined : ESCAPES[code];
      if (decoded === undefined) return undefined;
      out += decoded;
      from = at + 2;
    }
  }
  const rest = text.slice(from);
  if (rest.includes('"')) return undefined;
  return out + rest;
}

/** A double quote no backslash escapes: text that was written plain, not JSON-escaped. */
export function hasBareQuote(text: string): boolean {
  return /(?:^|[^\\])(?:\\\\)*"/.test(text);
}
