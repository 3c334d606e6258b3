// File writers: commands that create, change, move, delete or change the permissions of the files they
// are given. Their targets go through the write policy; deleting or opening up the system or the home
// directory is refused whatever the allow list says.
import { posix } from 'node:path';
import type { Analysis, RuleContext } from '../analysis';
import { backupSuffixes, directoryRead } from '../analysis';
import { firstValue, has, optionTable, scanOptions, values, type Scan } from '../options';
import { sliceWord, type Word } from '../parse/words';
import { each, type CommandFamily } from '../spec';
import { criticalTarget, isBlockDevice, resolveStatic } from '../systemPaths';

const COPY_TABLE = optionTable({
  flags: 'abdfHilLnPpRrsTuvxZ',
  values: { S: 'value', t: 'write' },
  long:
    'archive attributes-only copy-contents dereference force interactive link no-dereference no-clobber ' +
    'one-file-system parents recursive remove-destination strip-trailing-slashes symbolic-link no-target-directory ' +
    'verbose debug',
  longValues: {
    backup: 'optional',
    preserve: 'optional',
    'no-preserve': 'value',
    reflink: 'optional',
    sparse: 'value',
    suffix: 'value',
    'target-directory': 'write',
    update: 'optional',
    context: 'optional',
  },
});

function copyLike(scan: Scan, out: Analysis, sourceRole: 'read' | 'write'): void {
  const sources =
    scan.values.has('-t') || scan.values.has('--target-directory') ? scan.operands : scan.operands.slice(0, -1);
  const dest =
    scan.values.has('-t') || scan.values.has('--target-directory')
      ? firstValue(scan, '-t', '--target-directory')
      : scan.operands[scan.operands.length - 1];
  for (const w of sources) {
    if (sourceRole === 'read') out.reads.push(w);
    else {
      out.writes.push(w);
      out.deletes.add(w);
    }
  }
  if (dest && !(scan.values.has('-t') || scan.values.has('--target-directory'))) out.writes.push(dest);
  // Into an existing directory the file lands at DEST/NAME: judge that path too (`mv x/.vscode .`).
  if (dest && !dest.dynamic) {
    for (const source of sources) {
      if (source.dynamic || source.glob) continue;
      const name = posix.basename(source.value.replace(/\/+$/, ''));
      if (name === '' || name === '.' || name === '..') {
        out.risks.push({
          rule: 'copy-contents',
          reason: `Copying the contents of \`${source.value}\` writes files whose names are not on the command line.`,
        });
        continue;
      }
      out.writes.push(joinWord(dest, name));
    }
  }
}

/** `DIR/NAME` as a word that keeps `dir`'s shape: where a copy into a directory lands. */
export function joinWord(dir: Word, name: string): Word {
  const base = dir.value.endsWith('/') ? dir.value : `${dir.value}/`;
  const word = sliceWord(dir, 0);
  return {
    ...word,
    raw: `${base}${name}`,
    value: `${base}${name}`,
    shape: `${dir.shape}${dir.value.endsWith('/') ? '' : '/'}${'\u0001'.repeat(name.length)}`,
  };
}

const WORLD_WRITABLE_OCTAL = /^[0-7]*[2367]$/;

function isWorldWritable(mode: string): boolean {
  if (/^[0-7]{1,4}$/.test(mode)) return WORLD_WRITABLE_OCTAL.test(mode);
  // Symbolic: any clause giving `o` or `a` (or no who = all, minus umask) write permission.
  return mode
    .split(',')
    .some((clause) => /^[ugoa]*[+=][rwxXst]*w/.test(clause) && (/^[^+=]*[oa]/.test(clause) || /^[+=]/.test(clause)));
}

const OWNERSHIP_TABLE = optionTable({
  flags: 'cfvRHLP',
  long: 'changes silent quiet verbose recursive no-preserve-root preserve-root dereference no-dereference',
  longValues: { reference: 'read', from: 'value' },
});

const MODE_SHAPE = /^([ugoa]*([-+=]([rwxXst]*|[ugo]))+)(,([ugoa]*([-+=]([rwxXst]*|[ugo]))+))*$|^[0-7]{1,4}$/;

function ownership(args: readonly Word[], out: Analysis, ctx: RuleContext, kind: 'chmod' | 'chown'): void {
  const table = OWNERSHIP_TABLE;
  const modeShape = MODE_SHAPE;
  // chmod modes look like options (`-x`, `-rwx`): take the first mode-shaped word as the mode.
  let mode: Word | undefined;
  const rest: Word[] = [];
  for (const w of args) {
    if (
      kind === 'chmod' &&
      mode === undefined &&
      !w.dynamic &&
      modeShape.test(w.value) &&
      !/^-[RcfvHLP]+$/.test(w.value)
    )
      mode = w;
    else rest.push(w);
  }
  const scan = scanOptions(rest, table, out);
  const operands = scan.operands.slice();
  if (kind === 'chown' && !scan.values.has('--reference')) {
    const owner = operands.shift();
    if (owner) out.inert.add(owner);
  }
  if (mode) out.inert.add(mode);
  for (const w of operands) out.writes.push(w);
  const recursive = has(scan, '-R', '--recursive');
  if (!recursive) return;
  for (const target of operands) {
    const critical = criticalTarget(target, ctx);
    if (!critical) continue;
    const root = resolveStatic(target, ctx)?.some((p) => p === '/') ?? false;
    if (kind === 'chown' || root || (mode !== undefined && isWorldWritable(mode.value))) {
      out.denies.push({
        rule: kind === 'chmod' ? 'builtin:chmod-system' : 'builtin:chown-system',
        reason: `Recursive \`${kind}\` on \`${target.value}\` changes permissions of ${critical}.`,
      });
      return;
    }
  }
}

function ddCommand(args: readonly Word[], out: Analysis): void {
  for (const w of args) {
    const eq = w.value.indexOf('=');
    if (eq < 0) {
      out.unknown.push(w.value);
      continue;
    }
    const key = w.value.slice(0, eq);
    const value = sliceWord(w, eq + 1);
    if (key === 'if') out.reads.push(value);
    else if (key === 'of') {
      out.writes.push(value);
      if (isBlockDevice(value.value))
        out.denies.push({
          rule: 'builtin:dd-device',
          reason: `\`dd of=${value.value}\` overwrites a disk or memory device.`,
        });
    } else out.inert.add(w);
  }
}

export const FILE_WRITERS: CommandFamily = {
  title: 'file writers',
  kind: 'file-writer',
  commands: {
    ...each('tee', {
      operands: 'write',
      table: optionTable({
        flags: 'aip',
        long: 'append ignore-interrupts',
        longValues: { 'output-error': 'optional' },
      }),
    }),
    ...each('touch', {
      operands: 'write',
      table: optionTable({
        flags: 'acfhm',
        values: { d: 'value', r: 'read', t: 'value' },
        long: 'no-create no-dereference',
        longValues: { date: 'value', reference: 'read', time: 'value' },
      }),
    }),
    ...each('truncate', {
      operands: 'write',
      table: optionTable({
        flags: 'co',
        values: { s: 'value', r: 'read' },
        long: 'no-create io-blocks',
        longValues: { size: 'value', reference: 'read' },
      }),
    }),
    ...each('mkdir', {
      createsOnlyDirectories: true,
      operands: 'write',
      table: optionTable({
        flags: 'pv',
        values: { m: 'value' },
        long: 'parents verbose',
        longValues: { mode: 'value' },
      }),
    }),
    ...each('rmdir', {
      operands: 'write',
      table: optionTable({ flags: 'pv', long: 'ignore-fail-on-non-empty parents verbose' }),
      analyse: (_a, scan, out) => scan.operands.forEach((w) => out.deletes.add(w)),
    }),
    ...each('rm unlink', {
      // An entry for `rm` would delete anything writable: never offered.
      offer: 'never',
      operands: 'write',
      table: optionTable({
        flags: 'fiIrRdv',
        long: 'force one-file-system no-preserve-root recursive dir verbose',
        longValues: { interactive: 'optional', 'preserve-root': 'optional' },
      }),
      analyse: (args, scan, out, ctx) => {
        for (const w of scan.operands) out.deletes.add(w);
        const recursive = has(scan, '-r', '-R', '--recursive');
        const forced = has(scan, '-f', '--force');
        if (has(scan, '--no-preserve-root'))
          out.denies.push({ rule: 'builtin:rm-root', reason: '`--no-preserve-root` exists only to delete `/`.' });
        if (recursive || forced) {
          for (const target of scan.operands) {
            const critical = criticalTarget(target, ctx);
            if (critical) {
              out.denies.push({
                rule: 'builtin:rm-root',
                reason: `\`rm\` of \`${target.value}\` would delete ${critical}.`,
              });
              break;
            }
          }
        }
      },
    }),
    ...each('shred', {
      offer: 'never',
      operands: 'write',
      table: optionTable({
        flags: 'fuvxz',
        values: { n: 'value', s: 'value' },
        long: 'force exact zero verbose',
        longValues: { iterations: 'value', size: 'value', remove: 'optional', 'random-source': 'read' },
      }),
      analyse: (_a, scan, out) => scan.operands.forEach((w) => out.deletes.add(w)),
    }),
    ...each('chmod', { offer: 'never', custom: (args, out, ctx) => ownership(args, out, ctx, 'chmod') }),
    ...each('chown chgrp', { offer: 'never', custom: (args, out, ctx) => ownership(args, out, ctx, 'chown') }),
    ...each('cp', {
      operands: 'other',
      table: COPY_TABLE,
      analyse: (_a, scan, out) => {
        copyLike(scan, out, 'read');
        backupSuffixes(values(scan, '-S', '--suffix'), out);
        if (has(scan, '-r', '-R', '--recursive', '-a', '--archive')) out.directoryRead = directoryRead(false);
      },
    }),
    ...each('mv', {
      operands: 'other',
      table: optionTable({
        flags: 'bfinTuvZ',
        values: { S: 'value', t: 'write' },
        long: 'force interactive no-clobber no-target-directory strip-trailing-slashes verbose exchange no-copy debug',
        longValues: {
          backup: 'optional',
          suffix: 'value',
          'target-directory': 'write',
          update: 'optional',
          context: 'optional',
        },
      }),
      // A move deletes its sources: they are writes too.
      analyse: (_a, scan, out) => {
        copyLike(scan, out, 'write');
        backupSuffixes(values(scan, '-S', '--suffix'), out);
      },
    }),
    ...each('install', {
      operands: 'other',
      table: optionTable({
        flags: 'bcCdDpsTvZ',
        values: { g: 'value', m: 'value', o: 'value', S: 'value', t: 'write' },
        long: 'compare directory preserve-timestamps strip no-target-directory verbose debug',
        longValues: {
          backup: 'optional',
          group: 'value',
          mode: 'value',
          owner: 'value',
          suffix: 'value',
          'target-directory': 'write',
          'strip-program': 'value',
          context: 'optional',
        },
        risky: { '--strip-program:': 'runs a program' },
      }),
      analyse: (_a, scan, out) => {
        if (has(scan, '-d', '--directory')) for (const w of scan.operands) out.writes.push(w);
        else copyLike(scan, out, 'read');
        backupSuffixes(values(scan, '-S', '--suffix'), out);
      },
    }),
    ...each('ln', {
      operands: 'other',
      table: optionTable({
        flags: 'bdFfiLnPrsTv',
        values: { S: 'value', t: 'write' },
        long:
          'directory force interactive logical no-dereference physical relative symbolic no-target-directory ' +
          'verbose',
        longValues: { backup: 'optional', suffix: 'value', 'target-directory': 'write' },
      }),
      // Reading through a link later is checked on its target; linking to a secret is refused now.
      analyse: (_a, scan, out) => {
        copyLike(scan, out, 'read');
        backupSuffixes(values(scan, '-S', '--suffix'), out);
      },
    }),
    ...each('dd', { offer: 'never', custom: ddCommand }),
    ...each('patch', {
      operands: 'other',
      table: optionTable({
        strict: false,
        values: { i: 'read', o: 'write', d: 'cwd', p: 'value', r: 'write', B: 'value', z: 'value' },
      }),
      analyse: (_a, _scan, out) =>
        out.risks.push({
          rule: 'writes-unknown-files',
          reason: '`patch` writes the files the patch names, which could include protected files.',
        }),
    }),
  },
};
