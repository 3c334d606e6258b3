// Child processes the harness owns: each long-lived one gets its own process group (spawn `detached`
// calls setsid), so stopping it also stops what it forked — extension host, pty host, language servers.
import { spawn } from 'node:child_process';

const running = new Set();

/** Starts `command` in a new session/process group; stdio defaults to ignore. */
export function spawnGroup(command, args, options = {}) {
  const child = spawn(command, args, { stdio: 'ignore', ...options, detached: true });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is already gone
  }
}

function groupAlive(child) {
  try {
    process.kill(-child.pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM the whole group, then SIGKILL whatever is still alive after `graceMs`. */
export async function stopGroup(child, graceMs = 3000) {
  if (!child?.pid) return;
  signalGroup(child, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupAlive(child) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (groupAlive(child)) signalGroup(child, 'SIGKILL');
  running.delete(child);
}

export async function stopAllGroups() {
  await Promise.all([...running].map((child) => stopGroup(child)));
}

/**
 * Stops every group on Ctrl+C / SIGTERM / normal exit, so an interrupted run leaves no server behind.
 * `onExit` runs after the groups are stopped (e.g. remove a temp dir).
 */
export function stopGroupsOnExit(onExit = () => {}) {
  let stopping = false;
  const stopAndExit = async (code) => {
    if (stopping) return;
    stopping = true;
    await stopAllGroups();
    await onExit();
    process.exit(code);
  };
  process.once('SIGINT', () => stopAndExit(130));
  process.once('SIGTERM', () => stopAndExit(143));
  // last resort for a crash: synchronous SIGKILL of what is left
  process.once('exit', () => {
    for (const child of running) signalGroup(child, 'SIGKILL');
  });
}

/** Runs a command to completion with inherited stdio (or piped through `onOutput`); resolves its exit code. */
export function runToCompletion(command, args, { onOutput, ...options } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      stdio: onOutput ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
      ...options,
    });
    if (onOutput) {
      child.stdout.on('data', (chunk) => onOutput(chunk, 'stdout'));
      child.stderr.on('data', (chunk) => onOutput(chunk, 'stderr'));
    }
    child.once('error', (error) => {
      console.error(`cannot run ${command}: ${error.message}`);
      resolve(127);
    });
    child.once('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
