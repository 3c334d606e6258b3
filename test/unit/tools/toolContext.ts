// A ToolContext over the in-memory workspace and the fake policy.
import type { ToolContext, ToolPlan } from '../../../src/core/tools/tool';
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
  };
}

export async function runRead(plan: ToolPlan): Promise<{ ok: boolean; text: string; detail?: string }> {
  if (plan.kind !== 'read')
    throw new Error(`expected a read plan, got ${plan.kind}: ${'message' in plan ? plan.message : ''}`);
  return plan.run();
}
