// A ChatSession wired to in-memory ports and a scripted model, recording every domain event, with
// helpers to answer approval cards and to wait for the session to reach a state.
import type { AgentEvent } from '../../../src/core/agent/events';
import { ChatSession, type ChatSessionOptions } from '../../../src/core/agent/session';
import type { TranscriptEntry } from '../../../src/core/agent/transcript';
import type { ModelEndpointConfig } from '../../../src/core/model/types';
import type { Policy } from '../../../src/core/policy/policy';
import type { AgentPorts, ApprovalItem, ApprovalRequest, ModelClient, PolicyPort } from '../../../src/core/ports';
import { FakeClock } from './fakeClock';
import { FakeDiffPreview } from './fakeDiffPreview';
import { FakePolicy, type FakePolicyOptions } from './fakePolicy';
import { FakeTerminal } from './fakeTerminal';
import { MemoryWorkspace } from './memoryWorkspace';
import { FakeUserSettings, MemoryStore, RecordingAudit, RecordingLogger } from './recorders';
import { ScriptedModel, type ScriptStep } from './scriptedModel';

export const TEST_ENDPOINT: ModelEndpointConfig = {
  provider: 'openai',
  baseUrl: '',
  model: 'test-model',
  azureApiVersion: '2024-10-21',
  maxOutputTokens: 1_000,
  contextWindow: 100_000,
};

/** How a harness answers approval cards as they appear: per item, or 'wait' to leave it pending. */
export type Answer = 'approve' | 'approve-always' | 'approve-outside-sandbox' | 'reject' | { reject: string } | 'wait';

export interface HarnessOptions {
  files?: Record<string, string>;
  steps?: ScriptStep[];
  /** Options for the fake policy… */
  policy?: FakePolicyOptions;
  /** …or a real one (createPolicy). */
  policyInstance?: Policy;
  trusted?: boolean;
  store?: MemoryStore;
  endpoint?: Partial<ModelEndpointConfig>;
  createModelClient?: () => ModelClient;
  /** Default: approve everything. */
  answer?: (item: ApprovalItem, request: ApprovalRequest) => Answer;
  workspace?: MemoryWorkspace;
  /** Replaces parts of the policy port (`ready`, `warnings`). */
  policyPort?: Partial<PolicyPort>;
  /** Replaces ports. */
  ports?: Partial<AgentPorts>;
  options?: Partial<ChatSessionOptions>;
}

export class Harness {
  readonly model: ScriptedModel;
  policy: Policy;
  readonly workspace: MemoryWorkspace;
  readonly terminal = new FakeTerminal();
  readonly diff = new FakeDiffPreview();
  readonly clock = new FakeClock();
  readonly store: MemoryStore;
  readonly audit = new RecordingAudit();
  readonly logger = new RecordingLogger();
  readonly userSettings = new FakeUserSettings();
  readonly events: AgentEvent[] = [];
  readonly session: ChatSession;
  trusted: boolean;
  endpoint: ModelEndpointConfig;
  answer: (item: ApprovalItem, request: ApprovalRequest) => Answer;

  constructor(options: HarnessOptions = {}) {
    this.model = new ScriptedModel(options.steps ?? []);
    this.policy = options.policyInstance ?? new FakePolicy(options.policy);
    this.workspace = options.workspace ?? new MemoryWorkspace(options.files ?? {});
    this.store = options.store ?? new MemoryStore();
    this.trusted = options.trusted ?? true;
    this.endpoint = { ...TEST_ENDPOINT, ...options.endpoint };
    this.answer = options.answer ?? (() => 'approve');
    let ids = 0;
    const connect = options.createModelClient ?? (() => this.model);
    this.session = new ChatSession({
      ports: {
        model: { endpoint: () => this.endpoint, connect },
        policy: { current: () => this.policy, ready: async () => undefined, warnings: () => [], ...options.policyPort },
        workspace: this.workspace,
        diffPreview: this.diff,
        terminal: this.terminal,
        trust: { isTrusted: () => this.trusted },
        platform: { os: 'linux', shell: 'bash' },
        audit: this.audit,
        clock: this.clock,
        logger: this.logger,
        store: this.store,
        userSettings: this.userSettings,
        ...options.ports,
      },
      newId: () => `id${++ids}`,
      tuning: { retry: { random: () => 0.5 }, diagnosticsSettleMs: 100 },
      ...options.options,
    });
    this.session.onEvent((event) => {
      this.events.push(event);
      if (event.type === 'approvalNeeded') this.answerCard(event.entry.request);
    });
  }

  private answerCard(request: ApprovalRequest): void {
    for (const item of request.items) {
      const answer = this.answer(item, request);
      if (answer === 'wait') continue;
      const response =
        answer === 'approve' || answer === 'approve-always' || answer === 'approve-outside-sandbox'
          ? {
              status: 'approved' as const,
              ...(answer === 'approve-always' ? { alwaysAllow: true } : {}),
              ...(answer === 'approve-outside-sandbox' ? { outsideSandbox: true } : {}),
            }
          : { status: 'rejected' as const, ...(typeof answer === 'object' ? { reason: answer.reject } : {}) };
      queueMicrotask(() => void this.session.answerApproval(request.id, item.id, response));
    }
  }

  items(): TranscriptEntry[] {
    return this.session.state().items;
  }

  itemsOf<K extends TranscriptEntry['kind']>(kind: K): Extract<TranscriptEntry, { kind: K }>[] {
    return this.items().filter((i): i is Extract<TranscriptEntry, { kind: K }> => i.kind === kind);
  }

  notices(): string[] {
    return this.itemsOf('notice').map((n) => n.text);
  }

  /** The tool results the model was sent in its last request, in order. */
  lastToolResults(): string[] {
    const last = this.model.requests[this.model.requests.length - 1];
    const messages = last?.messages ?? [];
    let i = messages.length - 1;
    while (i >= 0 && messages[i].role === 'tool') i--;
    return messages.slice(i + 1).map((m) => m.content ?? '');
  }

  /** Every tool result the model was ever sent. */
  allToolResults(): string[] {
    const seen = new Map<string, string>();
    for (const request of this.model.requests)
      for (const m of request.messages) if (m.role === 'tool') seen.set(m.toolCallId ?? '', m.content ?? '');
    return [...seen.values()];
  }

  approvalRequests(): ApprovalRequest[] {
    return this.itemsOf('approval').map((i) => i.request);
  }

  emitted<T extends AgentEvent['type']>(type: T): Extract<AgentEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<AgentEvent, { type: T }> => e.type === type);
  }

  async waitFor(predicate: () => boolean, what: string): Promise<void> {
    for (let i = 0; i < 2_000; i++) {
      if (predicate()) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
    throw new Error(`Timed out waiting for ${what}`);
  }
}
