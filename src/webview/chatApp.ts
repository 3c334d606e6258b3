// The chat view: header, warnings, transcript, status line and composer, driven by host messages.
// Every message is checked with isHostMessage first — the view renders untrusted model output and
// must never act on a malformed message. The VS Code API is injected, so tests drive it with jsdom.
import {
  isHostMessage,
  PROTOCOL_VERSION,
  type ChatState,
  type HostMessage,
  type WebviewMessage,
} from '../shared/protocol';
import { createCheckpointControls } from './checkpointControls';
import { createChatHeader } from './chatHeader';
import { Composer } from './composer';
import { createEditControls } from './editControls';
import { createHistoryPanel } from './historyPanel';
import { codicon, h } from './dom';
import { createMarkdownRenderer } from './markdown';
import type { ScrollPosition } from './scrollFollower';
import { createMcpStatus } from './mcpStatus';
import { createSandboxStatus } from './sandboxStatus';
import { TranscriptView } from './transcriptView';

export interface ChatAppHost {
  post(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
  /** Defaults to the window's requestAnimationFrame (tests pass their own). */
  requestFrame?(callback: () => void): void;
  /** Milliseconds, for pacing renders of huge replies; defaults to performance.now(). */
  now?(): number;
}

export interface ChatApp {
  /** Handles one message from the host; anything the guard rejects is dropped with a console warning. */
  receive(message: unknown): void;
  /** Renders streamed text and saves the view state now instead of on the next frame / timer. */
  flush(): void;
  dispose(): void;
}

/** What getState/setState keep: the unsent draft and where the transcript was scrolled — never the
 *  transcript itself, which the host sends with `init` whenever the view (re)starts. Its size does not grow
 *  with the conversation. */
interface SavedView {
  version: number;
  draft: string;
  scroll: ScrollPosition;
}

const SAVE_DELAY_MS = 500;
const COPIED_MS = 1500;
const UNTRUSTED_TEXT =
  'This workspace is not trusted, so Warden can chat but cannot read, edit or run anything. Trust the workspace to ' +
  'let the agent act.';

const EMPTY_STATE: ChatState = { items: [], mode: 'agent', busy: false, trusted: true, modelLabel: '', warnings: [] };

export function createChatApp(root: HTMLElement, host: ChatAppHost): ChatApp {
  const doc = root.ownerDocument;
  const win = doc.defaultView;
  if (!win) throw new Error('The chat view needs a document with a window.');
  const post = (message: WebviewMessage): void => host.post(message);
  const requestFrame =
    host.requestFrame ??
    ((callback: () => void) => {
      win.requestAnimationFrame(() => callback());
    });

  let state: ChatState = { ...EMPTY_STATE };
  let statusText = '';
  let versionProblem = '';

  // ---- layout --------------------------------------------------------------------------------------
  const announcer = h(doc, 'div', { class: 'sr-only', 'aria-live': 'polite', 'aria-atomic': 'true' });
  const announce = (text: string): void => {
    // Clearing first makes a repeated sentence ("Copied") be spoken again.
    announcer.textContent = '';
    win.setTimeout(() => {
      announcer.textContent = text;
    }, 50);
  };

  const header = createChatHeader(doc, post);

  const warnings = h(doc, 'div', { class: 'warnings' });
  const statusLine = h(doc, 'div', { class: 'status-line', role: 'status' });
  // After a failed or stopped turn: go on from where it ended (the host checks it still can).
  const retryButton = h(
    doc,
    'button',
    { type: 'button', class: 'button-secondary retry-button', title: 'Ask the model again from where the turn ended' },
    codicon(doc, 'refresh'),
    'Retry',
  );
  const retryBar = h(doc, 'div', { class: 'retry-bar', hidden: true }, retryButton);
  retryButton.addEventListener('click', () => {
    retryBar.hidden = true;
    post({ type: 'action', command: 'warden.retry' });
  });

  const markdown = createMarkdownRenderer(win);
  // Sending a message goes back to the end, wherever the user had scrolled: the answer comes there.
  const composerPost = (message: WebviewMessage): void => {
    if (message.type === 'send') transcript.showEnd();
    post(edits.rewrite(message));
  };
  const composer = new Composer({ doc, post: composerPost, onDraftChange: () => scheduleSave() });
  const transcript = new TranscriptView({
    doc,
    markdown,
    post,
    announce,
    requestFrame,
    now: host.now ?? (() => win.performance.now()),
    onFocusLost: () => composer.focus(),
    onScrollSettled: () => scheduleSave(),
  });

  const sandboxStatus = createSandboxStatus(doc, post);
  header.mountChip(sandboxStatus.chip);
  const mcpStatus = createMcpStatus(doc, post);
  header.mountChip(mcpStatus.indicator);

  const history = createHistoryPanel(doc, post);
  header.mountChip(history.button);
  const checkpoints = createCheckpointControls(root, post);
  const edits = createEditControls(root, composer);

  root.classList.add('warden-chat');
  root.replaceChildren(
    header.element,
    warnings,
    mcpStatus.panel,
    history.panel,
    transcript.element,
    statusLine,
    retryBar,
    edits.hint,
    composer.element,
    announcer,
  );

  // ---- rendering of the non-transcript parts ------------------------------------------------------
  function renderHeader(): void {
    header.render(state);
    header.setUsage(state.usage);
  }

  function renderWarnings(): void {
    const banners: HTMLElement[] = [];
    if (versionProblem) banners.push(banner('error', versionProblem));
    if (!state.trusted) {
      const trust = h(
        doc,
        'button',
        { type: 'button', class: 'button-secondary' },
        codicon(doc, 'workspace-untrusted'),
        'Manage Workspace Trust',
      );
      trust.addEventListener('click', () => post({ type: 'action', command: 'warden.manageTrust' }));
      const untrusted = banner('untrusted', UNTRUSTED_TEXT);
      untrusted.append(trust);
      banners.push(untrusted);
    }
    for (const text of state.warnings) banners.push(banner('warning', text));
    warnings.replaceChildren(...banners);
    warnings.hidden = banners.length === 0;
  }

  function banner(kind: 'warning' | 'error' | 'untrusted', text: string): HTMLElement {
    const icon = kind === 'untrusted' ? 'workspace-untrusted' : kind;
    return h(
      doc,
      'div',
      { class: `banner banner-${kind}` },
      codicon(doc, icon),
      h(doc, 'span', { class: 'banner-text' }, text),
    );
  }

  function renderStatus(): void {
    const text = statusText || (state.busy ? 'Working…' : '');
    statusLine.replaceChildren(
      ...(text ? [codicon(doc, 'loading', 'codicon-modifier-spin'), h(doc, 'span', {}, text)] : []),
    );
    statusLine.classList.toggle('active', text !== '');
    retryBar.hidden = state.busy || state.retryable !== true;
  }

  function renderAll(draft?: string): void {
    renderHeader();
    renderWarnings();
    transcript.reset(state.items, state.olderCount ?? 0);
    composer.setBusy(state.busy);
    edits.setBusy(state.busy);
    if (draft !== undefined) composer.draft = draft;
    renderStatus();
  }

  // ---- state persistence --------------------------------------------------------------------------
  let saveTimer: number | undefined;
  /** Whether the host's init has arrived; the saved scroll position waits for it. */
  let initialised = false;
  let savedScroll: ScrollPosition | undefined;
  function scheduleSave(): void {
    if (saveTimer !== undefined) return;
    saveTimer = win!.setTimeout(save, SAVE_DELAY_MS);
  }
  function save(): void {
    if (saveTimer !== undefined) win!.clearTimeout(saveTimer);
    saveTimer = undefined;
    // Until the host's init arrives the transcript is empty: keep the position saved before.
    const scroll = initialised ? transcript.position() : (savedScroll ?? { atBottom: true });
    const saved: SavedView = { version: PROTOCOL_VERSION, draft: composer.draft, scroll };
    host.setState(saved);
  }

  /** A view that comes back (hidden and shown again) gets its draft at once; its transcript comes with the
   *  host's init, which the view asks for with `ready`. Until then it shows nothing stale. */
  function restore(): void {
    const saved = host.getState() as Partial<SavedView> | undefined;
    if (saved?.version !== PROTOCOL_VERSION) return;
    if (typeof saved.draft === 'string') composer.draft = saved.draft;
    savedScroll = savedPosition(saved.scroll);
  }

  // ---- host messages ------------------------------------------------------------------------------
  // One handler per message type (a type without one does not compile). Each says whether the view state
  // changed in a way worth saving: status lines and focus requests are transient.
  // The saved state holds only the draft and the scroll position: host messages change neither, except a
  // draft handed back by focusInput.
  type Handled = 'save' | 'transient';
  const handlers: { [T in HostMessage['type']]: (message: Extract<HostMessage, { type: T }>) => Handled } = {
    init(message) {
      if (message.version !== PROTOCOL_VERSION) {
        versionProblem =
          `The chat view (protocol ${PROTOCOL_VERSION}) and the extension (protocol ` +
          `${message.version}) do not match. Reload the window.`;
        renderWarnings();
        return 'transient';
      }
      versionProblem = '';
      state = message.state;
      statusText = '';
      renderAll();
      edits.refresh((id) => transcript.has(id));
      if (!initialised && savedScroll) transcript.reveal(savedScroll);
      initialised = true;
      return 'transient';
    },
    append(message) {
      transcript.append(message.item);
      return 'transient';
    },
    older(message) {
      transcript.receiveOlder(message.beforeId, message.items, message.olderCount);
      return 'transient';
    },
    update(message) {
      if (!transcript.update(message.item))
        console.warn(`Warden: update for unknown transcript item ${message.item.id} ignored.`);
      return 'transient';
    },
    delta(message) {
      if (!transcript.delta(message.id, message.text))
        console.warn(`Warden: delta for unknown assistant item ${message.id} ignored.`);
      return 'transient';
    },
    busy(message) {
      state = { ...state, busy: message.busy, retryable: message.retryable === true };
      composer.setBusy(message.busy);
      edits.setBusy(message.busy);
      if (!message.busy) statusText = '';
      renderStatus();
      return 'transient';
    },
    mode(message) {
      state = { ...state, mode: message.mode };
      renderHeader();
      return 'transient';
    },
    status(message) {
      statusText = message.text;
      renderStatus();
      return 'transient';
    },
    mcpStatus(message) {
      mcpStatus.update(message.status);
      return 'transient';
    },
    history(message) {
      history.update(message);
      return 'transient';
    },
    checkpointPlan(message) {
      checkpoints.showPlan(message);
      return 'transient';
    },
    mentionSuggestions(message) {
      composer.showMentions(message.requestId, message.suggestions);
      return 'transient';
    },
    editorContext(message) {
      composer.setEditorContext(message.context);
      return 'transient';
    },
    insertMention(message) {
      composer.insertMention(message.text);
      return 'save';
    },
    models(message) {
      header.setModels(message.models);
      return 'transient';
    },
    usage(message) {
      state = { ...state, usage: message.usage };
      header.setUsage(message.usage);
      return 'transient';
    },
    sandboxStatus(message) {
      sandboxStatus.update(message.status);
      return 'transient';
    },
    focusInput(message) {
      // A refused message comes back; never overwrite what the user has typed since.
      if (message.draft !== undefined && composer.draft.trim() === '') composer.draft = message.draft;
      composer.focus();
      return 'save';
    },
  };

  function handle(message: HostMessage): void {
    const handled = (handlers[message.type] as (message: HostMessage) => Handled)(message);
    if (handled === 'save') scheduleSave();
  }

  // ---- user input ---------------------------------------------------------------------------------

  // Links and Copy buttons in rendered markdown. Links never navigate the webview and never reach VS Code's
  // own link handler (stopPropagation): the host receives the href and checks it before opening anything.
  const onClick = (event: MouseEvent): void => {
    const target = event.target as Element | null;
    const link = target?.closest?.('a');
    if (link && root.contains(link)) {
      event.preventDefault();
      event.stopPropagation();
      if (event.type === 'auxclick' && event.button !== 1) return;
      const href = link.getAttribute('href') ?? '';
      if (/^(?:https?:|mailto:)/i.test(href)) post({ type: 'openLink', href });
      return;
    }
    const copy = target?.closest?.('[data-action="copy-code"]');
    if (copy && event.type === 'click') copyCode(copy as HTMLButtonElement);
  };
  root.addEventListener('click', onClick);
  root.addEventListener('auxclick', onClick);

  function copyCode(button: HTMLButtonElement): void {
    const code = button.closest('.code-block')?.querySelector('pre');
    if (!code) return;
    post({ type: 'copy', text: code.textContent ?? '' });
    const icon = button.querySelector('.codicon');
    const label = button.querySelector('.code-copy-label');
    icon?.classList.replace('codicon-copy', 'codicon-check');
    if (label) label.textContent = 'Copied';
    button.classList.add('copied');
    announce('Copied');
    win!.setTimeout(() => {
      icon?.classList.replace('codicon-check', 'codicon-copy');
      if (label) label.textContent = 'Copy';
      button.classList.remove('copied');
    }, COPIED_MS);
  }

  const onVisibility = (): void => {
    if (doc.visibilityState === 'hidden') save();
  };
  doc.addEventListener('visibilitychange', onVisibility);

  // ---- start ---------------------------------------------------------------------------------------
  renderAll('');
  transcript.showLoading();
  restore();
  post({ type: 'ready', version: PROTOCOL_VERSION });

  return {
    receive(message) {
      if (!isHostMessage(message)) {
        const type =
          typeof message === 'object' && message !== null && typeof (message as { type?: unknown }).type === 'string'
            ? ` (type ${JSON.stringify((message as { type: string }).type.slice(0, 40))})`
            : '';
        console.warn(`Warden: ignored an invalid message from the host${type}.`);
        return;
      }
      handle(message);
    },
    flush() {
      transcript.flush();
      save();
    },
    dispose() {
      root.removeEventListener('click', onClick);
      root.removeEventListener('auxclick', onClick);
      doc.removeEventListener('visibilitychange', onVisibility);
      if (saveTimer !== undefined) win.clearTimeout(saveTimer);
      transcript.dispose();
      checkpoints.dispose();
      edits.dispose();
    },
  };
}

/** A saved scroll position, checked: it comes from storage the view does not control. */
function savedPosition(value: unknown): ScrollPosition | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { atBottom, itemId, offset } = value as Record<string, unknown>;
  if (atBottom === true) return { atBottom: true };
  if (atBottom !== false || typeof itemId !== 'string' || itemId.length > 200) return undefined;
  return { atBottom: false, itemId, offset: typeof offset === 'number' && Number.isFinite(offset) ? offset : 0 };
}
