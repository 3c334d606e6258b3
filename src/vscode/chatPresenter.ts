// The presenter: the session's domain events and state, as the webview protocol says them. The core knows
// nothing of the protocol; this is the one place that maps between them, and the switch over events is
// exhaustive, so a new event without a decision here does not compile.
import type { AgentEvent } from '../core/agent/events';
import type { SessionState } from '../core/agent/session';
import type { TranscriptEntry } from '../core/agent/transcript';
import { newestTranscriptPage, transcriptPageBefore } from '../core/agent/transcriptPage';
import type { Decision } from '../core/policy/decision';
import type { ApprovalItem as CardItem, ApprovalRequest as Card } from '../core/ports';
import {
  PROTOCOL_VERSION,
  type ApprovalItem,
  type ApprovalRequest,
  type ChatState,
  type DecisionView,
  type HostMessage,
  type TranscriptItem,
} from '../shared/protocol';
import { usageEventView, usageView } from './usagePresenter';

export function initMessage(state: SessionState): HostMessage {
  return { type: 'init', version: PROTOCOL_VERSION, state: chatState(state) };
}

/** The webview messages an event becomes, in order; events the view does not show become none. */
export function presentEvent(event: AgentEvent, state: () => SessionState): HostMessage[] {
  switch (event.type) {
    case 'turnStarted':
      return [{ type: 'busy', busy: true }];
    case 'turnEnded':
      return [{ type: 'busy', busy: false, ...(state().retryable ? { retryable: true } : {}) }];
    case 'userMessage':
    case 'replyStarted':
    case 'toolStarted':
    case 'approvalNeeded':
    case 'notice':
    case 'conversationSummarised':
      return [{ type: 'append', item: transcriptItem(event.entry) }];
    case 'replyEnded':
    case 'approvalAnswered':
    case 'approvalRevised':
      return [{ type: 'update', item: transcriptItem(event.entry) }];
    case 'toolFinished':
      // A call answered without running was never appended.
      return [{ type: event.started ? 'update' : 'append', item: transcriptItem(event.entry) }];
    case 'textDelta':
      return [{ type: 'delta', id: event.id, text: event.text }];
    case 'status':
      return [{ type: 'status', text: event.text }];
    case 'modeChanged':
      return [{ type: 'mode', mode: event.mode }];
    case 'inputReturned':
      return [{ type: 'focusInput', draft: event.draft }];
    case 'modelUsage':
      return [{ type: 'usage', usage: usageEventView(event.usage) }];
    case 'stateChanged':
      return [initMessage(state())];
    case 'stepEnded':
    case 'changeApplied':
      return [];
  }
}

/** The answer to `loadOlder`: the page before `beforeId` (none when that item is gone, e.g. after New Task). */
export function olderMessage(state: SessionState, beforeId: string): HostMessage {
  const page = transcriptPageBefore(state.items, beforeId) ?? { from: 0, to: 0 };
  const items = state.items.slice(page.from, page.to).map(transcriptItem);
  return { type: 'older', beforeId, items, olderCount: page.from };
}

/** The state a view opens with: the transcript's newest page only (older pages on request). */
export function chatState(state: SessionState): ChatState {
  const page = newestTranscriptPage(state.items);
  return {
    items: state.items.slice(page.from, page.to).map(transcriptItem),
    ...(page.from > 0 ? { olderCount: page.from } : {}),
    mode: state.mode,
    busy: state.busy,
    trusted: state.trusted,
    modelLabel: state.modelLabel,
    warnings: [...state.warnings],
    ...(state.retryable ? { retryable: true } : {}),
    ...(state.usage === undefined ? {} : { usage: usageView(state.usage) }),
  };
}

export function transcriptItem(entry: TranscriptEntry): TranscriptItem {
  switch (entry.kind) {
    case 'user':
      return { kind: 'user', id: entry.id, text: entry.text };
    case 'assistant':
      return {
        kind: 'assistant',
        id: entry.id,
        text: entry.text,
        ...(entry.streaming === undefined ? {} : { streaming: entry.streaming }),
        ...(entry.incomplete === undefined ? {} : { incomplete: entry.incomplete }),
      };
    case 'tool':
      return {
        kind: 'tool',
        id: entry.id,
        tool: entry.tool,
        title: entry.title,
        status: entry.status,
        ...(entry.detail === undefined ? {} : { detail: entry.detail }),
        ...(entry.decision === undefined ? {} : { decision: decisionView(entry.decision) }),
        ...(entry.output === undefined ? {} : { output: { ...entry.output } }),
      };
    case 'approval':
      return { kind: 'approval', id: entry.id, request: approvalRequest(entry.request) };
    case 'notice':
      return {
        kind: 'notice',
        id: entry.id,
        level: entry.level,
        text: entry.text,
        ...(entry.action === undefined ? {} : { action: { ...entry.action } }),
        ...(entry.openable === undefined ? {} : { files: entry.openable.map((file) => file.path) }),
      };
    case 'summary':
      return { ...entry };
  }
}

function decisionView(decision: Decision): DecisionView {
  return { decision: decision.decision, rule: decision.rule, source: decision.source, reason: decision.reason };
}

function approvalRequest(card: Card): ApprovalRequest {
  return {
    id: card.id,
    kind: card.kind,
    items: card.items.map(approvalItem),
    ...(card.alwaysAllowEntry === undefined ? {} : { alwaysAllowEntry: card.alwaysAllowEntry }),
    ...(card.offerOutsideSandbox === true ? { offerOutsideSandbox: true } : {}),
    ...(card.sandboxNote === undefined ? {} : { sandboxNote: card.sandboxNote }),
    ...(card.changeSet === undefined ? {} : { changeSet: structuredClone(card.changeSet) }),
  };
}

function approvalItem(item: CardItem): ApprovalItem {
  const optional = <K extends keyof CardItem>(key: K) => (item[key] === undefined ? {} : { [key]: item[key] });
  return {
    id: item.id,
    kind: item.kind,
    title: item.title,
    status: item.status,
    decision: decisionView(item.decision),
    ...optional('added'),
    ...optional('removed'),
    ...(item.proposed === undefined ? {} : { proposed: { ...item.proposed } }),
    ...optional('isNew'),
    ...optional('protected'),
    ...optional('cwd'),
    ...(item.parts === undefined ? {} : { parts: item.parts.map((p) => ({ ...decisionView(p), text: p.text })) }),
    ...(item.mcp === undefined ? {} : { mcp: { ...item.mcp } }),
    ...optional('reason'),
    ...optional('alwaysAllowed'),
    ...(item.change === undefined ? {} : { change: structuredClone(item.change) }),
  };
}
