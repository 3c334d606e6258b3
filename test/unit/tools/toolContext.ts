// A ToolContext over the in-memory workspace and the fake policy.
import type { ToolPlan } from '../../../src/core/tools/plan';
import type { ToolContext } from '../../../src/core/tools/tool';
import { FakePolicy, type FakePolicyOptions } from '../fakes/fakePolicy';
import { MemoryWorkspace } from '../fakes/memoryWorkspace';

export function toolContext(
  files: Record<string, string> = {},
  policy: FakePolicyOptions = {},
): ToolContext & { workspace: MemoryWorkspace; policy: FakePolicy } {
  return {
    workspace: new MemoryWorkspace(files),
    policy: new FakePolicy(policy),
    signal: new AbortController().signal,
    sandbox: () => Promise.resolve({ mode: 'enforce' }),
  };
}

export async function runRead(plan: ToolPlan): Promise<{ ok: boolean; text: string; detail?: string }> {
  if (plan.kind !== 'read' || !('run' in plan) || typeof plan.run !== 'function')
    throw new Error(`expected a read plan, got ${plan.kind}: ${'message' in plan ? String(plan.message) : ''}`);
  return (plan.run as () => Promise<{ ok: boolean; text: string; detail?: string }>)();
}
