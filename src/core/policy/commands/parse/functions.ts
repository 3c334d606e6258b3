// What the functions a command defines do to each other: a function that starts copies of itself in
// parallel is a fork bomb, one that calls itself at all may never end.
import type { FunctionInfo } from './simpleCommand';

/**
 * Names of functions that call themselves (directly or through other functions) in a pipeline or in
 * the background — the fork-bomb shape `:(){ :|:& };:`, whatever the function is called.
 */
export function forkBombFunctions(functions: ReadonlyMap<string, FunctionInfo>): string[] {
  const found: string[] = [];
  for (const fn of functions.values()) {
    for (const [callee, parallel] of fn.calls) {
      if (parallel && reaches(functions, callee, fn.name)) {
        found.push(fn.name);
        break;
      }
    }
  }
  return found;
}

/** Names of functions that call themselves at all (infinite recursion unless guarded). */
export function recursiveFunctions(functions: ReadonlyMap<string, FunctionInfo>): string[] {
  const found: string[] = [];
  for (const fn of functions.values()) {
    for (const callee of fn.calls.keys()) {
      if (reaches(functions, callee, fn.name)) {
        found.push(fn.name);
        break;
      }
    }
  }
  return found;
}

function reaches(functions: ReadonlyMap<string, FunctionInfo>, from: string, target: string): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const name = stack.pop() as string;
    if (name === target) return true;
    if (seen.has(name)) continue;
    seen.add(name);
    const fn = functions.get(name);
    if (fn) for (const callee of fn.calls.keys()) stack.push(callee);
  }
  return false;
}
