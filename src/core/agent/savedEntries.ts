// Workspace storage is not trusted blindly: a saved transcript entry is taken back only if it has exactly
// the shape the session writes. (The webview checks every message again on its side of the boundary.)
import { NOTICE_ACTIONS, type TranscriptEntry } from './transcript';

type Check = (value: unknown) => boolean;

const MAX_TEXT = 5_000_000;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString: Check = (v) => typeof v === 'string';
const isText: Check = (v) => typeof v === 'string' && v.length <= MAX_TEXT;
const isId: Check = (v) => typeof v === 'string' && v.length > 0 && v.length <= 200;
const isNumber: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const isBoolean: Check = (v) => typeof v === 'boolean';
const optional =
  (check: Check): Check =>
  (v) =>
    v === undefined || check(v);
const oneOf =
  (...values: readonly unknown[]): Check =>
  (v) =>
    values.includes(v);
const arrayOf =
  (check: Check): Check =>
  (v) =>
    Array.isArray(v) && v.every(check);
const shape =
  (fields: Record<string, Check>): Check =>
  (v) =>
    isRecord(v) && Object.entries(fields).every(([key, check]) => check(v[key]));

const DECISION_FIELDS = {
  decision: oneOf('allow', 'ask', 'deny'),
  rule: isString,
  source: oneOf('built-in', 'user', 'workspace', 'default'),
  reason: isString,
};
const isDecision = shape(DECISION_FIELDS);

const isMcpCall = shape({
  server: isString,
  tool: isString,
  description: isText,
  arguments: isText,
  readOnly: isBoolean,
});

const isApprovalItem = shape({
  id: isId,
  kind: oneOf('file', 'command', 'mcp'),
  title: isString,
  status: oneOf('pending', 'approved', 'rejected', 'cancelled'),
  decision: isDecision,
  added: optional(isNumber),
  removed: optional(isNumber),
  proposed: optional(shape({ added: isNumber, removed: isNumber })),
  isNew: optional(isBoolean),
  protected: optional(isBoolean),
  cwd: optional(isString),
  parts: optional(arrayOf(shape({ ...DECISION_FIELDS, text: isString }))),
  mcp: optional(isMcpCall),
  reason: optional(isString),
  alwaysAllowed: optional(isBoolean),
  change: optional(
    shape({
      change: oneOf('created', 'modified', 'deleted'),
      direct: isBoolean,
      note: optional(isString),
      group: optional(shape({ created: isNumber, modified: isNumber, deleted: isNumber })),
    }),
  ),
});

const ENTRY_FIELDS: Record<TranscriptEntry['kind'], Record<string, Check>> = {
  user: { id: isId, text: isText },
  assistant: { id: isId, text: isText, streaming: optional(isBoolean), incomplete: optional(isBoolean) },
  tool: {
    id: isId,
    tool: isString,
    title: isString,
    status: oneOf('running', 'ok', 'error', 'denied', 'rejected', 'cancelled'),
    detail: optional(isText),
    decision: optional(isDecision),
    output: optional(
      shape({
        text: isText,
        exitCode: (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v)),
        durationMs: (v: unknown) => typeof v === 'number' && Number.isFinite(v),
        truncated: isBoolean,
      }),
    ),
  },
  approval: {
    id: isId,
    request: shape({
      id: isId,
      kind: oneOf('write', 'command', 'mcp'),
      items: arrayOf(isApprovalItem),
      alwaysAllowEntry: optional(isString),
      offerOutsideSandbox: optional(isBoolean),
      sandboxNote: optional(isText),
      changeSet: optional(shape({ command: isText, dropped: arrayOf(isString), notes: arrayOf(isString) })),
    }),
  },
  notice: {
    id: isId,
    level: oneOf('info', 'warning', 'error'),
    text: isText,
    action: optional(shape({ label: isString, command: oneOf(...NOTICE_ACTIONS) })),
  },
  summary: { id: isId, text: isText, tokensBefore: isNumber, tokensAfter: isNumber },
};

export function isTranscriptEntry(v: unknown): v is TranscriptEntry {
  if (!isRecord(v) || typeof v.kind !== 'string' || !Object.hasOwn(ENTRY_FIELDS, v.kind)) return false;
  return shape(ENTRY_FIELDS[v.kind as TranscriptEntry['kind']])(v);
}
