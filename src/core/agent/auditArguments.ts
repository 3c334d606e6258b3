// Tool arguments as the audit log keeps them: secrets redacted, long strings (file contents) shortened.
export const AUDIT_STRING_CHARS = 2_000;

function shorten(text: string): string {
  return text.length > AUDIT_STRING_CHARS
    ? `${text.slice(0, AUDIT_STRING_CHARS)}… [${text.length - AUDIT_STRING_CHARS} more characters]`
    : text;
}

function redactValue(value: unknown, redact: (text: string) => string, depth: number): unknown {
  if (typeof value === 'string') return shorten(redact(value));
  if (depth > 8) return '[nested too deeply]';
  if (Array.isArray(value)) return value.map((item) => redactValue(item, redact, depth + 1));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactValue(item, redact, depth + 1)]));
  }
  return value;
}

/** Parsed and redacted when the model sent valid JSON; otherwise the redacted raw text. */
export function auditArguments(raw: string, redact: (text: string) => string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return shorten(redact(raw));
  }
  return redactValue(parsed, redact, 0);
}
