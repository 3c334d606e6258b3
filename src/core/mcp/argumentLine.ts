// The arguments a user types for a stdio server in "Warden: Add MCP Server", split into the list the setting
// stores. There is no shell: quotes only group words (`"My Documents"`), a backslash escapes the next
// character, and nothing expands — `$HOME` stays `$HOME`.

export type ArgumentLine = { ok: true; args: string[] } | { ok: false; message: string };

export function splitArguments(text: string): ArgumentLine {
  const args: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      else if (char === '\\' && quote === '"' && i + 1 < text.length) current += text[++i];
      else current += char;
      continue;
    }
    if (/\s/.test(char)) {
      if (inWord) args.push(current);
      current = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (char === '"' || char === "'") quote = char;
    else if (char === '\\' && i + 1 < text.length) current += text[++i];
    else current += char;
  }
  if (quote !== undefined)
    return { ok: false, message: `a ${quote === '"' ? 'double' : 'single'} quote is not closed` };
  if (inWord) args.push(current);
  return { ok: true, args };
}
