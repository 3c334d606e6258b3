// Caps that keep one turn bounded: tool output size, user input size, tool calls per turn and identical
// repeated calls (a model stuck in a loop, or steered into one by injected text). All pure.
import { createHash } from 'node:crypto';
import type { Limits } from './policy';

function groupThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function truncationMarker(omitted: number): string {
  return `\n…[truncated: ${groupThousands(omitted)} more characters]…\n`;
}

function isLowSurrogate(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Text of at most `maxChars` characters: head and tail kept (errors often sit at the end of command
 * output), the middle replaced by a visible marker so neither the model nor the user mistakes the cut
 * text for the whole. If `maxChars` is smaller than the marker itself, the marker alone is returned.
 */
export function truncateForModel(text: string, maxChars: number): { text: string; truncated: boolean } {
  const limit = Number.isFinite(maxChars) ? Math.max(0, Math.floor(maxChars)) : 0;
  if (text.length <= limit) return { text, truncated: false };
  // The marker's length depends on the number it shows; two rounds settle it (the digit count can only shrink).
  let keep = Math.max(0, limit - truncationMarker(text.length).length);
  keep = Math.max(0, limit - truncationMarker(text.length - keep).length);
  // Cut points never split a surrogate pair: the head gives up the half pair, the tail skips it.
  let headEnd = Math.ceil(keep / 2);
  if (headEnd > 0 && isLowSurrogate(text, headEnd)) headEnd--;
  let tailStart = text.length - (keep - Math.ceil(keep / 2));
  if (tailStart < text.length && isLowSurrogate(text, tailStart)) tailStart++;
  return {
    text: text.slice(0, headEnd) + truncationMarker(tailStart - headEnd) + text.slice(tailStart),
    truncated: true,
  };
}

export type InputCheck = { ok: true } | { ok: false; length: number; max: number; message: string };

/** A user message longer than the limit is refused before anything is sent (never silently cut). */
export function checkInputLength(text: string, limits: Pick<Limits, 'maxInputChars'>): InputCheck {
  if (text.length <= limits.maxInputChars) return { ok: true };
  return {
    ok: false,
    length: text.length,
    max: limits.maxInputChars,
    message:
      `The message has ${groupThousands(text.length)} characters; the limit is ` +
      `${groupThousands(limits.maxInputChars)} (warden.limits.maxInputChars).`,
  };
}

export type BudgetResult =
  | { ok: true; used: number; remaining: number }
  | { ok: false; used: number; max: number; message: string };

/** Tool calls per turn. Create one per turn (or call `reset`). */
export class ToolCallBudget {
  private count = 0;

  constructor(private readonly maxToolCallsPerTurn: number) {}

  get used(): number {
    return this.count;
  }

  /** Counts one call; refuses it (without counting) once the turn's budget is spent. */
  take(): BudgetResult {
    if (this.count >= this.maxToolCallsPerTurn) {
      return {
        ok: false,
        used: this.count,
        max: this.maxToolCallsPerTurn,
        message: `This turn has used its ${this.maxToolCallsPerTurn} tool calls (warden.limits.maxToolCallsPerTurn).`,
      };
    }
    this.count++;
    return { ok: true, used: this.count, remaining: this.maxToolCallsPerTurn - this.count };
  }

  reset(): void {
    this.count = 0;
  }
}

/** JSON with object keys sorted at every level, so `{"a":1,"b":2}` and `{ "b": 2, "a": 1 }` are one call. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .sort()
    .filter((k) => obj[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
    .join(',')}}`;
}

function canonicalArguments(argsJson: string): string {
  try {
    return canonicalJson(JSON.parse(argsJson));
  } catch {
    // Not JSON: compare the raw text (trimmed), still one key per distinct call.
    return `raw:${argsJson.trim()}`;
  }
}

/**
 * Counts identical tool calls (same tool, same arguments in any key order) within one turn.
 * `repeated` is true once a call has been made more than `maxRepeatedCalls` times: the turn should stop.
 */
export class RepeatedCallDetector {
  // Keys are hashes so a turn of large writes does not keep every argument string alive.
  private readonly counts = new Map<string, number>();

  constructor(private readonly maxRepeatedCalls: number) {}

  record(tool: string, argsJson: string): { repeated: boolean; count: number } {
    const key = createHash('sha256').update(tool).update('\u0000').update(canonicalArguments(argsJson)).digest('hex');
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    return { repeated: count > this.maxRepeatedCalls, count };
  }

  reset(): void {
    this.counts.clear();
  }
}
