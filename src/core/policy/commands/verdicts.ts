// Small builders for the decisions the command policy makes, and how a reason quotes a command.
import type { Decision, DecisionSource } from '../decision';
import type { Finding } from './analysis';

export function ask(rule: string, reason: string, source: DecisionSource = 'built-in'): Decision {
  return { decision: 'ask', rule, source, reason };
}

export function deny(rule: string, reason: string, source: DecisionSource = 'built-in'): Decision {
  return { decision: 'deny', rule, source, reason };
}

export function fromFinding(verdict: 'ask' | 'deny', finding: Finding): Decision {
  return { decision: verdict, rule: finding.rule, source: 'built-in', reason: finding.reason };
}

/** A command or word as a reason shows it: in backticks, cut at 120 characters, newlines visible. */
export function quoted(text: string): string {
  const shown = text.length > 120 ? `${text.slice(0, 120)}…` : text;
  return `\`${shown.includes('\n') ? shown.replace(/\n/g, '⏎') : shown}\``;
}

/** The program name without its directory: `/usr/bin/env` → `env`. */
export function commandBasename(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash >= 0 ? path.slice(slash + 1) : path;
}
