// What the user sees of a conversation, as domain data: their messages, the replies, each tool step, the
// approval cards and the notices. The session folds its events into it; it is persisted with the
// conversation, and the VS Code presenter turns it into the webview's transcript.
import type { Decision } from '../policy/decision';
import type { CommandOutput } from '../tools/plan';
import type { ApprovalRequest } from '../ports';
import type { StepStatus } from '../tools/plan';
import type { AgentEvent } from './events';

export type ToolStepStatus = 'running' | StepStatus;

/** Host commands a notice may offer as a button. */
export const NOTICE_ACTIONS = [
  'warden.setApiKey',
  'warden.openSettings',
  'warden.manageTrust',
  'warden.showLog',
  'warden.retry',
  'warden.listMcpServers',
  'warden.reviewMcpTools',
  'warden.showSandboxStatus',
] as const;
export type NoticeAction = (typeof NOTICE_ACTIONS)[number];
export type NoticeLevel = 'info' | 'warning' | 'error';

export interface UserEntry {
  kind: 'user';
  id: string;
  text: string;
}

export interface AssistantEntry {
  kind: 'assistant';
  id: string;
  text: string;
  streaming?: boolean;
  incomplete?: boolean;
}

export interface ToolEntry {
  kind: 'tool';
  id: string;
  tool: string;
  title: string;
  status: ToolStepStatus;
  detail?: string;
  decision?: Decision;
  /** Commands: the end of their output, exit code and duration. */
  output?: CommandOutput;
}

export interface ApprovalEntry {
  kind: 'approval';
  id: string;
  request: ApprovalRequest;
}

export interface NoticeEntry {
  kind: 'notice';
  id: string;
  level: NoticeLevel;
  text: string;
  action?: { label: string; command: NoticeAction };
  /** Files the text names that the user may open: `path` as shown (in the text), `resolved` what the host opens. */
  openable?: { path: string; resolved: string }[];
}

/** Older turns were summarised for the model (the turns themselves stay in the transcript). */
export interface SummaryEntry {
  kind: 'summary';
  id: string;
  text: string;
  /** Estimated tokens of the model conversation before and after. */
  tokensBefore: number;
  tokensAfter: number;
}

export type TranscriptEntry = UserEntry | AssistantEntry | ToolEntry | ApprovalEntry | NoticeEntry | SummaryEntry;

/** The transcript store: entries in order, changed only by events (and cleared by New Task). */
export class Transcript {
  private list: TranscriptEntry[];

  constructor(entries: readonly TranscriptEntry[] = []) {
    this.list = [...entries];
  }

  entries(): TranscriptEntry[] {
    return this.list.map((entry) => ({ ...entry }));
  }

  /** Live entries (not copies), for persistence snapshots. */
  view(): readonly TranscriptEntry[] {
    return this.list;
  }

  clear(): void {
    this.list = [];
  }

  reset(entries: readonly TranscriptEntry[]): void {
    this.list = [...entries];
  }

  /** Removes the entry `id` and everything after it (a checkpoint restore that truncates). */
  truncateAt(id: string): void {
    const at = this.list.findIndex((entry) => entry.id === id);
    if (at !== -1) this.list = this.list.slice(0, at);
  }

  add(entry: TranscriptEntry): void {
    this.list.push(entry);
  }

  apply(event: AgentEvent): void {
    switch (event.type) {
      case 'userMessage':
      case 'replyStarted':
      case 'toolStarted':
      case 'approvalNeeded':
      case 'notice':
      case 'conversationSummarised':
        this.list.push(event.entry);
        return;
      case 'replyEnded':
      case 'toolFinished':
      case 'approvalAnswered':
      case 'approvalRevised':
        this.replace(event.entry);
        return;
      case 'textDelta':
        this.appendText(event.id, event.text);
        return;
      case 'turnStarted':
      case 'turnEnded':
      case 'stepEnded':
      case 'changeApplied':
      case 'status':
      case 'modeChanged':
      case 'modelUsage':
      case 'inputReturned':
      case 'stateChanged':
        return; // not part of what the transcript shows
      default:
        return event satisfies never;
    }
  }

  private replace(entry: TranscriptEntry): void {
    const index = this.list.findIndex((e) => e.id === entry.id);
    if (index === -1) this.list.push(entry);
    else this.list[index] = entry;
  }

  private appendText(id: string, text: string): void {
    for (let i = this.list.length - 1; i >= 0; i--) {
      const entry = this.list[i];
      if (entry.id === id && entry.kind === 'assistant') {
        this.list[i] = { ...entry, text: entry.text + text };
        return;
      }
    }
  }
}
