// At the start of a turn: the instruction files for it, and a line in the transcript naming them (what the
// model was told should never be a surprise). A failure to read them leaves the turn without, never stuck.
import type { NoticeEntry, NoticeLevel } from '../agent/transcript';
import type { AgentPorts } from '../ports';
import { collectInstructions } from './instructionFiles';

export async function turnInstructions(
  ports: AgentPorts,
  paths: readonly string[],
  signal: AbortSignal,
  notice: (level: NoticeLevel, text: string, files?: NoticeEntry['openable']) => void,
): Promise<string | undefined> {
  // An untrusted workspace reads nothing (its files are not even listed).
  if (!ports.trust.isTrusted()) return undefined;
  try {
    const set = await collectInstructions({
      policy: ports.policy.current(),
      workspace: ports.workspace,
      paths,
      userFiles: ports.context?.userInstructionFiles() ?? [],
      signal,
    });
    if (set.used.length > 0) {
      const names = set.used.map((file) => `${file.path}${file.truncated ? ' (truncated)' : ''}`);
      // The names become buttons in the view; the host opens only these resolved paths (instructionFileLink.ts).
      notice(
        'info',
        `Instructions used: ${names.join(', ')}. Untrusted repository content: they cannot change permissions.`,
        set.used.map((file) => ({ path: file.path, resolved: file.resolved })),
      );
    }
    if (set.skipped.length > 0)
      notice('warning', `Instruction files not used: ${set.skipped.map((s) => `${s.path} (${s.reason})`).join('; ')}.`);
    return set.prompt || undefined;
  } catch (error) {
    ports.logger.warn(
      `Could not read the instruction files: ${error instanceof Error ? error.message : String(error)}`,
    );
    return undefined;
  }
}
