// Whether a sandbox can start here, and if not why and how to fix it: the data behind the chat header's
// shield and "Warden: Show Sandbox Status". The probe (src/node/sandbox/sandboxProbe.ts) fills the checks.
import type { SandboxMode } from './sandboxSpec';

export type SandboxCheckId =
  | 'platform'
  | 'bwrap'
  | 'unshare'
  | 'userNamespaces'
  | 'apparmor'
  | 'sandboxStart'
  | 'overlay'
  | 'tar'
  | 'socat'
  | 'sandboxExec';

/** What stops working when a check fails. */
export type SandboxNeed = 'sandbox' | 'preview' | 'network';

export interface SandboxCheck {
  id: SandboxCheckId;
  ok: boolean;
  needed: SandboxNeed;
  /** What was found, e.g. "bubblewrap 0.8.0 at /usr/bin/bwrap", or why it failed. */
  detail: string;
  /** The fix, when the check failed and a user can fix it. */
  fix?: string;
}

export interface SandboxStatus {
  platform: string;
  checks: readonly SandboxCheck[];
  /** Copy-on-write preview of workspace writes (Linux). */
  preview: boolean;
  /** A sandbox at all (workspace writes land directly). */
  enforce: boolean;
  /** Allowed domains can be reached through the filtering proxy (else: no network at all). */
  network: boolean;
  /** Facts that limit the sandbox without stopping it (e.g. running as root). */
  notes: readonly string[];
}

export function summarizeChecks(
  platform: string,
  checks: readonly SandboxCheck[],
  notes: readonly string[] = [],
): SandboxStatus {
  const failed = (need: SandboxNeed): boolean => checks.some((c) => c.needed === need && !c.ok);
  const enforce = checks.length > 0 && !failed('sandbox');
  const preview = enforce && !failed('preview');
  return { platform, checks, enforce, preview, network: enforce && !failed('network'), notes };
}

export type EffectiveSandbox =
  /** `askReason`: commands run in it, each only after a card giving this reason (a shell the policy cannot parse). */
  | { mode: 'preview' | 'enforce'; askReason?: string }
  /** No sandbox: every command needs a card, which says why. */
  | { mode: 'none'; reason: string; fix?: string };

/**
 * The sandbox a command gets for the configured mode. Never a weaker one than asked for: when `preview`
 * cannot start, commands ask rather than run with their writes landing directly.
 */
export function effectiveSandbox(requested: SandboxMode, status: SandboxStatus): EffectiveSandbox {
  if (requested === 'off') {
    return { mode: 'none', reason: 'The sandbox is off (warden.sandbox.mode), so every command asks first.' };
  }
  const need: SandboxNeed = requested === 'preview' ? 'preview' : 'sandbox';
  const blocking = status.checks.find((c) => !c.ok && (c.needed === 'sandbox' || c.needed === need));
  if (blocking === undefined && (requested === 'preview' ? status.preview : status.enforce)) return { mode: requested };
  const reason = blocking?.detail ?? `The sandbox is not available on ${status.platform}.`;
  const fallback =
    requested === 'preview' && status.enforce
      ? ' (`enforce` mode works here: set warden.sandbox.mode to "enforce" to run commands sandboxed with ' +
        'their writes landing directly.)'
      : '';
  return {
    mode: 'none',
    reason: `The sandbox cannot start, so every command asks first: ${reason}${fallback}`,
    fix: blocking?.fix,
  };
}

/** The limits a sandboxed command runs under, one sentence each, for the shield's tooltip. */
export function sandboxLimits(mode: 'preview' | 'enforce', platform: string, allowedDomains: number): string[] {
  const limits = [
    mode === 'preview'
      ? 'Workspace changes are collected and shown for approval before they land.'
      : 'Workspace changes land directly (enforce mode).',
    'Denied files and credential stores (~/.ssh, ~/.aws, …) read as empty.',
    platform === 'darwin'
      ? 'Nothing outside the workspace and a private temporary folder is writable; tool caches are read-only.'
      : 'Nothing outside the workspace is writable; /tmp is private; tool caches are a throw-away layer.',
    allowedDomains > 0
      ? `Network: only ${allowedDomains} allowed domain(s), through a filtering proxy.`
      : 'Network: none.',
    'The whole process tree is killed on Stop, timeout or window close.',
  ];
  return limits;
}
