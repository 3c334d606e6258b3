// `policy-cli verify-audit FILE`: checks an audit log's hash chain from a terminal, in the words the
// extension's "Verify Audit Log" uses. Exit code 0 intact, 1 broken, 2 usage error (set by the caller).
import { readFileSync, statSync } from 'node:fs';
import { checkAuditChain } from '../core/audit/auditChain';
import { describeAuditCheck } from '../core/audit/auditReport';
import { escapeHidden } from '../core/policy/visibleText';

export const VERIFY_AUDIT_USAGE = 'policy-cli verify-audit [--json] [--last-hash HEX] <audit.jsonl>';

export const VERIFY_AUDIT_HELP = `verify-audit checks the hash chain of an audit log (audit.jsonl in the extension's
workspace storage) and says where and how it breaks. Exit code 0 intact, 1 broken, 2 usage error.
  --json            print the result as one JSON object
  --last-hash HEX   the hash of the last line as noted earlier (the "lastHash" of an earlier --json run):
                    also detects records cut off the end or an edited last record
`;

export interface VerifyIo {
  stdout: { write(text: string): unknown };
}

export type VerifyOutcome = { exitCode: 0 | 1 } | { usageError: string };

const HEX_HASH = /^[0-9a-f]{64}$/;

export function verifyAuditCli(args: readonly string[], io: VerifyIo): VerifyOutcome {
  let json = false;
  let lastHash: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--json') json = true;
    else if (arg === '--last-hash') {
      const value = args[++i];
      if (value === undefined || !HEX_HASH.test(value))
        return { usageError: '--last-hash needs a SHA-256 hash (64 hex digits)' };
      lastHash = value;
    } else if (arg.startsWith('-') && arg !== '-') return { usageError: `unknown option ${arg}` };
    else files.push(arg);
  }
  if (files.length !== 1) return { usageError: '`verify-audit` needs exactly one file' };
  const file = files[0];
  let text: string;
  try {
    if (statSync(file).isDirectory()) return { usageError: `${file} is a folder, not an audit log` };
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { usageError: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
  const report = checkAuditChain(text, lastHash === undefined ? {} : { lastLineHash: lastHash });
  const words = describeAuditCheck(report);
  if (json) {
    io.stdout.write(`${JSON.stringify({ file, ...report, ...words }, null, 2)}\n`);
  } else {
    const lines = [
      `Audit log: ${escapeHidden(file)}`,
      `${report.ok ? 'INTACT' : 'BROKEN'}: ${words.headline}`,
      ...words.details.map((detail) => `  ${detail}`),
      `What it means: ${words.meaning}`,
    ];
    if (report.ok && report.records > 0) lines.push(`Last hash (pass as --last-hash next time): ${report.lastHash}`);
    io.stdout.write(`${lines.join('\n')}\n`);
  }
  return { exitCode: report.ok ? 0 : 1 };
}
