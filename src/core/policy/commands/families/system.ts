// System tools: power, disks, processes and scheduled jobs. What would shut the machine down, wipe a
// disk, signal every process or plant commands that run later is refused whatever the allow list says.
import type { Analysis } from '../analysis';
import { has, optionTable, scanOptions } from '../options';
import type { Word } from '../parse/words';
import { each, type CommandFamily } from '../spec';

function killCommand(args: readonly Word[], out: Analysis): void {
  let i = 0;
  if (args[0] && (args[0].value === '-s' || args[0].value === '-n')) i = 2;
  else if (args[0] && /^-([A-Za-z0-9+]+)$/.test(args[0].value) && args.length > 1) i = 1;
  if (args[i]?.value === '--') i++;
  const targets = args.slice(i);
  // `kill -1` alone and `kill -9 -1` both end with "every process you own".
  if ((args.length === 1 && args[0].value === '-1') || targets.some((w) => w.value === '-1')) {
    out.denies.push({ rule: 'builtin:kill-all', reason: '`kill … -1` signals every process you can reach.' });
  }
  for (const w of args) out.inert.add(w);
}

const CRONTAB_TABLE = optionTable({ flags: 'lreiT', values: { u: 'value', s: 'value' } });

function crontabCommand(args: readonly Word[], out: Analysis): void {
  const scan = scanOptions(args, CRONTAB_TABLE, out);
  if (has(scan, '-r'))
    out.denies.push({ rule: 'builtin:crontab', reason: '`crontab -r` deletes every scheduled job.' });
  else if (scan.operands.length > 0)
    out.denies.push({
      rule: 'builtin:crontab',
      reason: 'Installing a crontab schedules commands that run later, outside Warden.',
    });
  else if (has(scan, '-e'))
    out.risks.push({ rule: 'editor', reason: '`crontab -e` opens an editor on the scheduled jobs.' });
}

export const SYSTEM_TOOLS: CommandFamily = {
  title: 'system tools',
  kind: 'system',
  commands: {
    ...each('kill', { custom: killCommand }),
    ...each('crontab', { custom: crontabCommand }),
    ...each('systemctl', {
      operands: 'other',
      table: optionTable({ strict: false }),
      analyse: (_a, scan, out) => {
        const verb = scan.operands[0]?.value;
        if (verb && /^(poweroff|reboot|halt|kexec|soft-reboot)$/.test(verb))
          out.denies.push({
            rule: 'builtin:power',
            reason: `\`systemctl ${verb}\` shuts the machine down or restarts it.`,
          });
      },
    }),
    ...each('init telinit', {
      operands: 'other',
      table: optionTable({ strict: false }),
      analyse: (_a, scan, out) => {
        if (scan.operands.some((w) => w.value === '0' || w.value === '6'))
          out.denies.push({
            rule: 'builtin:power',
            reason: '`init 0`/`init 6` shuts the machine down or restarts it.',
          });
      },
    }),
    ...each('shutdown reboot halt poweroff', {
      custom: (_a, out) =>
        out.denies.push({
          rule: 'builtin:power',
          reason: 'Shutting down or restarting the machine is never done by the agent.',
        }),
    }),
    ...each('mke2fs mkswap wipefs mkdosfs mkntfs newfs', {
      custom: (_a, out) =>
        out.denies.push({ rule: 'builtin:disk-format', reason: 'Formatting or wiping a disk destroys its data.' }),
    }),
    ...each('fdisk sfdisk gdisk cfdisk sgdisk parted', {
      operands: 'other',
      table: optionTable({ strict: false }),
      analyse: (_a, scan, out) => {
        if (scan.operands.some((w) => w.value.startsWith('/dev/') || w.dynamic)) {
          if (has(scan, '-l', '--list'))
            out.risks.push({ rule: 'disk-tool', reason: 'Partitioning tools touch disks directly.' });
          else out.denies.push({ rule: 'builtin:disk-partition', reason: 'Repartitioning a disk destroys its data.' });
        }
      },
    }),
  },
  // `mkfs` and every `mkfs.TYPE`.
  pattern: {
    names: /^mkfs/,
    spec: {
      offer: 'never',
      custom: (_a, out) =>
        out.denies.push({ rule: 'builtin:disk-format', reason: 'Formatting a disk destroys its data.' }),
    },
  },
};
