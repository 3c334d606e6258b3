// Agent loop overhead per tool step: a ChatSession driven by a scripted in-memory model over in-memory
// ports, one tool call per model reply (reads, searches, auto-approved edits, allowed commands), with
// validation, policy, capping, redaction, audit and persistence all included. Target: ≤ 5 ms per step.
// Run: node --import tsx bench/agentLoop.bench.ts
import { performance } from 'node:perf_hooks';
import type { ToolCall } from '../src/core/model/types';
import { call, reply, type ScriptStep } from '../test/unit/fakes/scriptedModel';
import { Harness } from '../test/unit/fakes/sessionHarness';

const STEPS_PER_TURN = 40;
const TURNS = 10;
const WARMUP_TURNS = 2;
const TARGET_MS = 5;
const FILES = 20;

function sourceFile(i: number): string {
  return (
    Array.from({ length: 120 }, (_, line) => `export const value${i}_${line} = ${line}; // line ${line}`).join('\n') +
    '\n'
  );
}

/** The n-th step of a turn: mostly reads and searches, every fifth an edit, every seventh a command. */
function stepCall(turn: number, n: number): ToolCall {
  const file = `src/file${n % FILES}.ts`;
  if (n % 7 === 6) return call('run_command', { command: `git status --short file${turn}-${n}` });
  if (n % 5 === 4) {
    const line = (turn * STEPS_PER_TURN + n) % 120;
    return call('edit_file', {
      path: file,
      edits: [{ old_text: `value${n % FILES}_${line} = `, new_text: `value${n % FILES}_${line} =  ` }],
    });
  }
  if (n % 3 === 2) return call('search_files', { query: `value${n % FILES}_${n}`, include: 'src/**' });
  return call('read_file', { path: file, start_line: 1 + ((turn + n) % 100) });
}

function turnScript(turn: number): ScriptStep[] {
  const steps: ScriptStep[] = [];
  for (let n = 0; n < STEPS_PER_TURN; n++) steps.push(reply(n === 0 ? 'Looking into it.' : '', stepCall(turn, n)));
  steps.push(reply('Done: the change is in place.'));
  return steps;
}

export async function runAgentLoopBench(): Promise<Record<string, number>> {
  const files = Object.fromEntries(Array.from({ length: FILES }, (_, i) => [`src/file${i}.ts`, sourceFile(i)]));
  const h = new Harness({
    files,
    policy: {
      autoApprove: ['src/**'],
      commands: { 'git status': 'allow' },
      limits: { maxToolCallsPerTurn: STEPS_PER_TURN + 1 },
    },
  });
  const times: number[] = [];
  const cpuTimes: number[] = [];
  for (let turn = 0; turn < TURNS + WARMUP_TURNS; turn++) {
    h.model.push(...turnScript(turn));
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    await h.session.send(`Task ${turn}: tidy the constants.`);
    const elapsed = performance.now() - started;
    const cpu = process.cpuUsage(cpuStarted);
    const tools = h.itemsOf('tool').slice(-STEPS_PER_TURN);
    const failed = tools.filter((t) => t.status !== 'ok');
    if (failed.length > 0)
      throw new Error(`agent loop bench: ${failed.length} step(s) did not succeed, e.g. ${JSON.stringify(failed[0])}`);
    if (turn >= WARMUP_TURNS) {
      times.push(elapsed / STEPS_PER_TURN);
      cpuTimes.push((cpu.user + cpu.system) / 1000 / STEPS_PER_TURN);
    }
    await h.session.newTask();
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const perStep = median(times);
  const steps = TURNS * STEPS_PER_TURN;
  const ok = perStep <= TARGET_MS;
  console.log(
    `agent loop: ${perStep.toFixed(2)} ms per tool step (${steps} steps; target ≤ ${TARGET_MS} ms) ${ok ? '✔' : '✘'}`,
  );
  console.log(
    `  wall time, median of ${TURNS} turns of ${STEPS_PER_TURN} steps (best turn ${Math.min(...times).toFixed(2)} ` +
      `ms/step); CPU time ${median(cpuTimes).toFixed(2)} ms/step`,
  );
  if (!ok) process.exitCode = 1;
  return {
    'agentLoop.msPerStep': Number(perStep.toFixed(3)),
    'agentLoop.cpuMsPerStep': Number(median(cpuTimes).toFixed(3)),
    'agentLoop.steps': steps,
    'agentLoop.targetMs': TARGET_MS,
  };
}

if (require.main === module) {
  runAgentLoopBench().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
