// Commands whose arguments are plain text: they print, compute or look up without touching files or
// running anything, so a value only known at run time changes nothing that matters. A word naming a
// denied file is still refused (`echo .env`).
import { optionTable } from '../options';
import { each, type CommandFamily } from '../spec';

export const PLAIN_TEXT_COMMANDS: CommandFamily = {
  title: 'plain-text commands',
  kind: 'plain-text',
  commands: {
    ...each(
      'tr realpath readlink basename dirname pwd whoami id uname hostname which type seq sleep ' +
        'printenv nproc arch tty groups logname users',
      { operands: 'inert', inertArguments: true, table: optionTable({ strict: false }) },
    ),
    // `date -f FILE` reads dates from a file and prints each line it cannot parse: a reader.
    date: {
      operands: 'inert',
      inertArguments: true,
      table: optionTable({
        values: { f: 'read' },
        longValues: { file: 'read' },
        risky: { '-s:': 'sets the system clock', '--set:': 'sets the system clock' },
        strict: false,
      }),
    },
    echo: { operands: 'inert', inertArguments: true, table: optionTable({ flags: 'neE', strict: false }) },
    printf: {
      operands: 'inert',
      inertArguments: true,
      table: optionTable({ risky: { '-v:': 'assigns a shell variable (it could set PATH or IFS)' }, strict: false }),
    },
  },
};
