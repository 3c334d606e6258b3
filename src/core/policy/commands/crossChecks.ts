// Phase 3 of a command decision: patterns across commands. Code downloaded from the network and run
// by an interpreter — piped in (`curl … | sh`) or handed over as an argument (`bash <(curl …)`,
// `eval "$(curl …)"`) — is refused whatever the allow list says.
import type { CommandPart } from '../decision';
import type { Invocation } from './invocation';
import type { SimpleCommand } from './parse/simpleCommand';
import type { Word } from './parse/words';
import { ask, deny } from './verdicts';

/** Adds a `builtin:download-exec` part for every interpreter that runs downloaded code. Run after judging. */
export function findDownloadedCodeRun(invocations: readonly Invocation[], parts: CommandPart[]): void {
  if (!invocations.some((inv) => inv.downloads) || !invocations.some((inv) => inv.runsStdin || inv.runsCode)) return;
  const flagged = new Set<Invocation>();
  // `curl … | sh`: a downloader earlier in a pipeline feeding an interpreter that reads code from stdin.
  const byPipe = new Map<number, { index: number; inv: Invocation }[]>();
  for (const inv of invocations) {
    for (let k = 0; k + 1 < inv.pipes.length; k += 2) {
      const list = byPipe.get(inv.pipes[k]) ?? [];
      list.push({ index: inv.pipes[k + 1], inv });
      byPipe.set(inv.pipes[k], list);
    }
  }
  for (const members of byPipe.values()) {
    for (const runner of members) {
      if (!runner.inv.runsStdin || flagged.has(runner.inv)) continue;
      if (members.some((m) => m.inv.downloads && m.index < runner.index)) {
        flagged.add(runner.inv);
        parts.push({
          ...deny('builtin:download-exec', 'Code downloaded from the network is piped straight into an interpreter.'),
          text: runner.inv.text,
        });
      }
    }
  }
  // `bash <(curl …)`, `sh -c "$(wget -O- …)"`, `eval "$(curl …)"`: downloaded code as an argument.
  const downloaders = new Set<SimpleCommand>(invocations.filter((i) => i.downloads).map((i) => i.cmd));
  const downloadsWithin = (inv: Invocation, word: Word): boolean => {
    for (let i = word.subStart; i < word.subEnd; i++) if (downloaders.has(inv.script.commands[i])) return true;
    return false;
  };
  for (const inv of invocations) {
    if (!inv.runsCode || flagged.has(inv)) continue;
    const words: Word[] = inv.words.slice(1);
    for (const r of inv.redirects) {
      words.push(...r.targets);
      if (r.herestring) words.push(r.herestring);
    }
    if (words.some((w) => downloadsWithin(inv, w))) {
      flagged.add(inv);
      parts.push({
        ...deny('builtin:download-exec', 'Code downloaded from the network is run by an interpreter.'),
        text: inv.text,
      });
    }
  }
}

/**
 * `echo '<js>' > t.js && npm test`, `cat > eslint.config.js <<EOF … EOF; npm run lint`: each half may be
 * allowed, but together the line runs code it just wrote. A command that may run workspace code, after a
 * command of the same line that wrote a file, asks. Run after judging (which marks both).
 */
export function findWriteThenRun(invocations: readonly Invocation[], parts: CommandPart[]): void {
  let writer: Invocation | undefined;
  for (const inv of invocations) {
    if (writer && inv.runsWorkspaceCode && !inv.denialsOnly) {
      parts.push({
        ...ask(
          'write-then-run',
          `This line writes a file (${'`'}${writer.text}${'`'}) and then runs ${'`'}${inv.text}${'`'}, which may ` +
            'execute files of the workspace: what was written could be what runs.',
        ),
        text: inv.text,
      });
      return;
    }
    if (inv.writesFiles && !writer) writer = inv;
  }
}
