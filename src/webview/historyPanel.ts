// The History button in the chat header and the list it opens: past conversations of this workspace, newest
// first, each with its title and date; search by title, open, delete (after a confirmation in place). Arrow
// keys move through the list, Escape closes it. Everything is built as text.
import type { HistoryEntryView, HostMessage, WebviewMessage } from '../shared/protocol';
import { codicon, h } from './dom';

export interface HistoryUi {
  /** Mounted in the header. */
  readonly button: HTMLButtonElement;
  /** Mounted below the header. */
  readonly panel: HTMLElement;
  update(message: Extract<HostMessage, { type: 'history' }>): void;
  close(): void;
}

const PANEL_ID = 'warden-history';

function dateText(time: number): string {
  try {
    return new Date(time).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  } catch {
    return new Date(time).toISOString();
  }
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

export function createHistoryPanel(doc: Document, post: (message: WebviewMessage) => void): HistoryUi {
  const button = h(
    doc,
    'button',
    {
      type: 'button',
      class: 'icon-button history-button',
      'aria-label': 'History',
      title: 'History: past conversations of this workspace',
      'aria-expanded': 'false',
      'aria-controls': PANEL_ID,
    },
    codicon(doc, 'history'),
  );
  const search = h(doc, 'input', {
    type: 'search',
    class: 'history-search',
    'aria-label': 'Search history',
    placeholder: 'Search by title',
  });
  const close = h(
    doc,
    'button',
    { type: 'button', class: 'icon-button', 'aria-label': 'Close History', title: 'Close' },
    codicon(doc, 'close'),
  );
  const problems = h(doc, 'div', { class: 'history-problems', role: 'status' });
  const list = h(doc, 'ul', { class: 'history-list', 'aria-label': 'History' });
  const empty = h(doc, 'div', { class: 'history-empty' });
  const panel = h(
    doc,
    'section',
    { id: PANEL_ID, class: 'history-panel', 'aria-label': 'Conversation history', hidden: true },
    h(doc, 'div', { class: 'history-top' }, h(doc, 'span', { class: 'history-heading' }, 'History'), search, close),
    problems,
    list,
    empty,
  );

  let entries: HistoryEntryView[] = [];
  let loaded = false;

  function isOpen(): boolean {
    return !panel.hidden;
  }

  function open(): void {
    panel.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    loaded = false;
    render();
    post({ type: 'listHistory' });
    search.focus();
  }

  function hide(returnFocus: boolean): void {
    if (!isOpen()) return;
    panel.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    if (returnFocus) button.focus();
  }

  function render(): void {
    const query = search.value.trim().toLowerCase();
    const shown = entries.filter((entry) => query === '' || entry.title.toLowerCase().includes(query));
    list.replaceChildren(...shown.map(renderEntry));
    empty.textContent = !loaded
      ? 'Loading…'
      : entries.length === 0
        ? 'No past conversations yet: New Task keeps the current one here.'
        : shown.length === 0
          ? 'No conversation title matches.'
          : '';
    empty.hidden = empty.textContent === '';
  }

  function renderEntry(entry: HistoryEntryView): HTMLLIElement {
    const meta = [dateText(entry.updated), plural(entry.messages, 'message', 'messages')];
    if (entry.current) meta.push('open now');
    const openButton = h(
      doc,
      'button',
      {
        type: 'button',
        class: `history-open${entry.current ? ' history-current' : ''}`,
        'data-id': entry.id,
        ...(entry.current ? { 'aria-current': 'true' } : {}),
      },
      h(doc, 'span', { class: 'history-title' }, entry.title),
      h(doc, 'span', { class: 'history-meta' }, meta.join(' · ')),
    );
    openButton.addEventListener('click', () => {
      if (!entry.current) post({ type: 'openConversation', id: entry.id });
      hide(false);
    });
    const remove = h(
      doc,
      'button',
      {
        type: 'button',
        class: 'icon-button history-delete',
        'aria-label': `Delete conversation: ${entry.title}`,
        title: 'Delete this conversation',
      },
      codicon(doc, 'trash'),
    );
    const item = h(doc, 'li', { class: 'history-entry' }, openButton, remove);
    remove.addEventListener('click', () => confirmDelete(item, entry));
    openButton.addEventListener('keydown', (event) => {
      if (event.key === 'Delete') {
        event.preventDefault();
        confirmDelete(item, entry);
      }
    });
    return item;
  }

  function confirmDelete(item: HTMLLIElement, entry: HistoryEntryView): void {
    const yes = h(doc, 'button', { type: 'button', class: 'button-primary' }, 'Delete');
    const no = h(doc, 'button', { type: 'button', class: 'button-secondary' }, 'Cancel');
    const question = h(
      doc,
      'div',
      { class: 'history-confirm', role: 'group', 'aria-label': 'Delete conversation' },
      h(doc, 'span', {}, `Delete “${entry.title}”? This cannot be undone.`),
      h(doc, 'span', { class: 'history-confirm-actions' }, yes, no),
    );
    const previous = [...item.childNodes];
    item.replaceChildren(question);
    yes.addEventListener('click', () => {
      entries = entries.filter((e) => e.id !== entry.id);
      post({ type: 'deleteConversation', id: entry.id });
      render();
      firstEntry()?.focus();
    });
    no.addEventListener('click', () => {
      item.replaceChildren(...previous);
      item.querySelector<HTMLButtonElement>('.history-open')?.focus();
    });
    no.focus();
  }

  function openButtons(): HTMLButtonElement[] {
    return [...list.querySelectorAll<HTMLButtonElement>('.history-open')];
  }

  function firstEntry(): HTMLButtonElement | undefined {
    return openButtons()[0];
  }

  button.addEventListener('click', () => (isOpen() ? hide(true) : open()));
  close.addEventListener('click', () => hide(true));
  search.addEventListener('input', render);
  search.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      firstEntry()?.focus();
    }
  });
  list.addEventListener('keydown', (event) => {
    const buttons = openButtons();
    const at = buttons.indexOf(doc.activeElement as HTMLButtonElement);
    const moves: Record<string, number> = {
      ArrowDown: at + 1,
      ArrowUp: at - 1,
      Home: 0,
      End: buttons.length - 1,
    };
    if (!(event.key in moves) || buttons.length === 0) return;
    event.preventDefault();
    const next = moves[event.key];
    if (next < 0 && event.key === 'ArrowUp') search.focus();
    else buttons[Math.min(Math.max(next, 0), buttons.length - 1)].focus();
  });
  panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      hide(true);
    }
  });

  return {
    button,
    panel,
    update(message) {
      entries = message.conversations;
      loaded = true;
      problems.textContent =
        message.problems.length === 0
          ? ''
          : `${plural(message.problems.length, 'stored conversation', 'stored conversations')} could not be read ` +
            `and ${message.problems.length === 1 ? 'was' : 'were'} skipped: ${message.problems.join('; ')}.`;
      problems.hidden = message.problems.length === 0;
      if (!isOpen()) return;
      // A re-render must not drop the keyboard user's place in the list.
      const focused = openButtons().indexOf(doc.activeElement as HTMLButtonElement);
      render();
      const buttons = openButtons();
      if (focused !== -1 && buttons.length > 0) buttons[Math.min(focused, buttons.length - 1)].focus();
    },
    close() {
      hide(false);
    },
  };
}
