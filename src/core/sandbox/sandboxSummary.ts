// What the user is told about the sandbox: the chat header's shield (a word and a tooltip) and the report of
// "Warden: Show Sandbox Status" — what is enforced here, what is not, and when it cannot start, why and the fix.
import type { SandboxMode } from './sandboxSpec';
import { sandboxLimits, type EffectiveSandbox, type SandboxStatus } from './sandboxStatus';

export type ShieldState = 'preview' | 'enforce' | 'off' | 'unavailable';

export interface SandboxShield {
  state: ShieldState;
  /** A few words for the header: "Sandbox on", "Sandbox off", "No sandbox". */
  text: string;
  /** One line each: what holds, or why not and the fix. */
  tooltip: string[];
}

const CHECK_NAMES: Record<SandboxStatus['checks'][number]['id'], string> = {
  platform: 'Platform',
  bwrap: 'bubblewrap',
  unshare: 'unshare',
  userNamespaces: 'User namespaces',
  apparmor: 'AppArmor',
  sandboxStart: 'A sandboxed trial run',
  overlay: 'Copy-on-write overlay',
  tar: 'GNU tar (reads the layer)',
  socat: 'socat (network proxy)',
  sandboxExec: 'sandbox-exec (Seatbelt)',
};

export function sandboxShield(
  mode: SandboxMode,
  effective: EffectiveSandbox,
  status: SandboxStatus | undefined,
  allowedDomains: number,
): SandboxShield {
  if (effective.mode === 'none') {
    const off = mode === 'off';
    return {
      state: off ? 'off' : 'unavailable',
      text: off ? 'Sandbox off' : 'No sandbox',
      tooltip: [effective.reason, ...(effective.fix ? [effective.fix] : []), 'Every command asks before it runs.'],
    };
  }
  const platform = status?.platform ?? 'linux';
  return {
    state: effective.mode,
    text: effective.mode === 'preview' ? 'Sandbox on' : 'Sandbox on (enforce)',
    tooltip: [
      ...sandboxLimits(effective.mode, platform, allowedDomains),
      ...(status !== undefined && !status.network
        ? ['The network proxy cannot start here (socat missing): commands have no network at all.']
        : []),
      ...(status?.notes ?? []),
    ],
  };
}

/** What no mode of the sandbox covers: said plainly, wherever the sandbox is described. */
export const NOT_ENFORCED: readonly string[] = [
  'Commands still run with your user ID: what the workspace itself holds (source, scripts) they can read and, in ' +
    'enforce mode, change.',
  'Reads are not previewed: a command can read any file that is not denied and not a credential store, and print it.',
  'Allowed domains are reached for real: what a command sends to them is not inspected.',
  'CPU and memory are not limited beyond the command timeout.',
  'MCP servers over HTTP are not sandboxed (they run elsewhere). stdio MCP servers run in the sandbox on ' +
    'Linux where it can start, without copy-on-write: their workspace writes land directly.',
];

/** The report of "Warden: Show Sandbox Status", as Markdown. */
export function sandboxReport(
  mode: SandboxMode,
  effective: EffectiveSandbox,
  status: SandboxStatus,
  allowedDomains: readonly string[],
): string {
  const lines = ['# Warden sandbox status', ''];
  const shield = sandboxShield(mode, effective, status, allowedDomains.length);
  lines.push(`**${shield.text}** — \`warden.sandbox.mode\` is \`${mode}\`, on ${status.platform}.`, '');
  if (effective.mode === 'none') {
    lines.push(effective.reason, '');
    if (effective.fix) lines.push(`**Fix:** ${effective.fix}`, '');
    lines.push('Every command the agent runs asks first, and its card says it runs without a sandbox.', '');
  } else {
    lines.push('## Enforced for every command', '');
    for (const limit of sandboxLimits(effective.mode, status.platform, allowedDomains.length)) lines.push(`- ${limit}`);
    lines.push('');
    if (allowedDomains.length > 0)
      lines.push(`Allowed domains: ${allowedDomains.map((d) => `\`${d}\``).join(', ')}.`, '');
  }
  lines.push('## Not enforced', '');
  for (const item of NOT_ENFORCED) lines.push(`- ${item}`);
  if (status.platform === 'darwin')
    lines.push('- macOS: no copy-on-write preview; the Seatbelt profile is untested on this project’s machines.');
  lines.push('', '## Checks on this machine', '');
  for (const check of status.checks) {
    lines.push(
      `- ${check.ok ? '✅' : '❌'} **${CHECK_NAMES[check.id]}** (needed for ${check.needed}): ${check.detail}`,
    );
    if (!check.ok && check.fix) lines.push(`  - Fix: ${check.fix}`);
  }
  for (const note of status.notes) lines.push(`- ℹ️ ${note}`);
  lines.push('');
  return lines.join('\n');
}
