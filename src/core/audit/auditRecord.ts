// One line of the audit log. Arguments are redacted before a record is made.
import type { UsageTotals } from '../model/usage';
import type { Decision } from '../policy/decision';

export type Approver = 'user' | 'policy' | 'auto-approve' | 'none';

export interface AuditRecord {
  /** ISO time */
  time: string;
  turn: string;
  tool: string;
  arguments: unknown;
  decision: Decision;
  approvedBy: Approver;
  /** e.g. "applied", "rejected: reason", "exit 0", "denied", "cancelled" */
  outcome: string;
  /** MCP calls: the server and the tool's own name (the model's name may be shortened or hashed). */
  mcp?: { server: string; tool: string };
  /** `model_usage` records: the turn's tokens and cost (numbers only; the profile and model are the arguments). */
  usage?: UsageTotals;
}

/**
 * As written to disk: the record plus the SHA-256 (hex) of the previous line ('' for the first) and its
 * sequence number (the previous record's plus one), which tells a deleted record from an edited one.
 */
export interface ChainedAuditRecord extends AuditRecord {
  prev: string;
  seq: number;
}
