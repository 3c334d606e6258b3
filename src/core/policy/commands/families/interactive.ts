// Pagers and editors: they read the files they are given, and every one of them can run shell commands
// from inside (`!cmd`), so they ask whatever the allow list says.
import type { Finding } from '../analysis';
import { optionTable } from '../options';
import type { CommandFamily, CommandSpec } from '../spec';

const PAGER_FINDING: Finding = {
  rule: 'pager',
  reason: 'A pager can run shell commands (`!cmd`) and is never approved automatically.',
};
const EDITOR_FINDING: Finding = {
  rule: 'editor',
  reason: 'An interactive editor can run shell commands and write any file.',
};

const PAGERS = ['less', 'more', 'most', 'pg', 'man', 'info', 'zless', 'zmore', 'bzless', 'xzless'];
const EDITORS = [
  'vi',
  'vim',
  'nvim',
  'view',
  'vimdiff',
  'gvim',
  'emacs',
  'emacsclient',
  'nano',
  'pico',
  'ed',
  'ex',
  'micro',
  'joe',
  'mcedit',
  'kak',
  'hx',
  'helix',
];

function pager(name: string): CommandSpec {
  return {
    // `man` and `info` take page names, not files.
    operands: name === 'man' || name === 'info' ? 'inert' : 'read',
    alwaysAsk: PAGER_FINDING,
    table: optionTable({ strict: false }),
  };
}

export const PAGERS_AND_EDITORS: CommandFamily = {
  title: 'pagers and editors',
  kind: 'interactive',
  commands: Object.fromEntries([
    ...PAGERS.map((name) => [name, pager(name)]),
    ...EDITORS.map((name) => [
      name,
      { operands: 'read', alwaysAsk: EDITOR_FINDING, table: optionTable({ strict: false }) } satisfies CommandSpec,
    ]),
  ]),
};
