// Build tools and container clients. An allow entry names the tool and its subcommand (`make test`,
// `cargo build`); a make file read or a directory changed to goes through the policy like any other.
import { optionTable } from '../options';
import { each, SUBCOMMAND_OFFER, type CommandSpec, type CommandFamily } from '../spec';

const MAKE_TABLE = optionTable({
  values: { f: 'read', C: 'cwd', I: 'value', j: 'optional', l: 'optional', o: 'value', W: 'value' },
  longValues: { file: 'read', makefile: 'read', directory: 'cwd', 'include-dir': 'value', jobs: 'optional' },
  risky: { '--eval:': 'evaluates make code from the command line' },
  strict: false,
});
const MAKE: CommandSpec = { operands: 'other', table: MAKE_TABLE };

export const BUILD_TOOLS: CommandFamily = {
  title: 'build tools and container clients',
  kind: 'build-tool',
  commands: {
    make: { ...MAKE, offer: SUBCOMMAND_OFFER },
    gmake: MAKE,
    ...each('cargo go dotnet gradle mvn docker kubectl', { offer: SUBCOMMAND_OFFER }),
  },
};
