// Build tools and container clients. An allow entry names the tool and its subcommand (`make test`,
// `cargo build`); a make file read or a directory changed to goes through the policy like any other.
import { optionTable } from '../options';
import { each, SUBCOMMAND_OFFER, type CommandSpec, type CommandFamily } from '../spec';

const MAKE_TABLE = optionTable({
  values: { f: 'read', C: 'cwd', I: 'read', j: 'optional', l: 'optional', o: 'value', W: 'value' },
  longValues: { file: 'read', makefile: 'read', directory: 'cwd', 'include-dir': 'read', jobs: 'optional' },
  risky: { '--eval:': 'evaluates make code from the command line', '-E:': 'evaluates make code from the command line' },
  strict: false,
});

/** `make CC=id`, `SHELL=/tmp/x`, `X!=cmd`: an operand assigning a variable changes what the recipes run. */
const MAKE_ASSIGNMENT = /^[^\s=:+?!]+\s*(?:=|:{1,3}=|\+=|\?=|!=)/;

const MAKE: CommandSpec = {
  operands: 'other',
  table: MAKE_TABLE,
  analyse: (_args, scan, out) => {
    const assignment = scan.operands.find((w) => !w.dynamic && MAKE_ASSIGNMENT.test(w.value));
    if (assignment)
      out.risks.push({
        rule: 'make-variable',
        reason: `\`${assignment.raw}\` overrides a variable of the make file, which can change what its recipes run.`,
      });
  },
};

export const BUILD_TOOLS: CommandFamily = {
  title: 'build tools and container clients',
  kind: 'build-tool',
  commands: {
    make: { ...MAKE, offer: SUBCOMMAND_OFFER },
    gmake: MAKE,
    ...each('cargo go dotnet gradle mvn docker kubectl', { offer: SUBCOMMAND_OFFER }),
  },
};
