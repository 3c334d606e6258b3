// The entry "Always allow" offers for a command that asks: the command name, plus its subcommand for
// tools that have them (`npm test`, `git status`), plus the script a runner runs (`npm run build`). The
// registry decides: a shell, interpreter, wrapper, package runner, or anything whose entry would allow
// whatever it is given (or would destroy or send data) is never offered.
import type { CommandDecision } from '../decision';
import { allowOffer, lookupCommand } from './registry';
import { commandBasename } from './verdicts';

const WORD = /^[A-Za-z0-9][A-Za-z0-9._+:@/-]*$/;
const SUBCOMMAND = /^[a-z][a-z0-9:_-]*$/;

/** Never offered under any spelling: `BASH` runs bash on a case-insensitive file system. */
function neverOffered(name: string): boolean {
  const base = commandBasename(name);
  return allowOffer(lookupCommand(base)) === 'never' || allowOffer(lookupCommand(base.toLowerCase())) === 'never';
}

/** The entry "Always allow" would add; offered only for one plain simple command that needs asking. */
export function alwaysAllowEntry(decision: CommandDecision): string | undefined {
  const asking = decision.parts.filter((p) => p.decision === 'ask');
  if (asking.length !== 1 || decision.parts.some((p) => p.decision === 'deny')) return undefined;
  const [name, sub, script] = asking[0].text.trim().split(/\s+/);
  if (name === undefined || !WORD.test(name) || name.includes('=') || neverOffered(name)) return undefined;
  const offer = allowOffer(lookupCommand(commandBasename(name)));
  // For any other command the first argument is an operand — `touch notes.txt` — and the entry is the name.
  if (typeof offer !== 'object' || sub === undefined || !SUBCOMMAND.test(sub)) return name;
  if (offer.never.includes(sub)) return undefined;
  if (!offer.runners.includes(sub) || script === undefined || !WORD.test(script) || script.startsWith('-'))
    return `${name} ${sub}`;
  // `poetry run python x.py`: an entry naming a shell or interpreter would allow anything it is given.
  if (neverOffered(script)) return undefined;
  return `${name} ${sub} ${script}`;
}
