// A TerminalPort that records every request and answers from a handler (default: exit 0, echo the command).
import type { CommandRunRequest, CommandRunResult, TerminalPort } from '../../../src/core/ports';
import type { EffectiveSandbox } from '../../../src/core/sandbox/sandboxStatus';

export type TerminalHandler = (
  request: CommandRunRequest,
) => Promise<Partial<CommandRunResult>> | Partial<CommandRunResult>;

export class FakeTerminal implements TerminalPort {
  readonly requests: CommandRunRequest[] = [];
  /** The sandbox commands get (default: enforce, so allowed commands run without a card). */
  effective: EffectiveSandbox = { mode: 'enforce' };
  constructor(public handler: TerminalHandler = (r) => ({ output: `ran ${r.command}\n` })) {}

  sandbox(): Promise<EffectiveSandbox> {
    return Promise.resolve(this.effective);
  }

  async run(request: CommandRunRequest): Promise<CommandRunResult> {
    this.requests.push(request);
    const partial = await this.handler(request);
    return { exitCode: 0, output: '', timedOut: false, cancelled: false, truncated: false, durationMs: 10, ...partial };
  }
}

/** A command that runs until Stop: resolves as cancelled when the signal aborts. */
export function runsUntilAborted(onStart?: () => void): TerminalHandler {
  return (request) =>
    new Promise((resolve) => {
      onStart?.();
      const done = () => resolve({ exitCode: null, output: 'partial output\n', cancelled: true });
      if (request.signal.aborted) done();
      else request.signal.addEventListener('abort', done, { once: true });
    });
}
