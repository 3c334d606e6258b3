// Edit on a user message: its text goes back to the composer with a hint; sending then replaces that message
// and drops everything after it (the host reuses Restore Checkpoint's truncation; files are left as they are).
import type { WebviewMessage } from '../shared/protocol';
import { codicon, h } from './dom';

const ACTION = 'edit-message';

/** The button on a user message. */
export function editButton(doc: Document): HTMLButtonElement {
  return h(
    doc,
    'button',
    {
      type: 'button',
      class: 'icon-button edit-button',
      'data-action': ACTION,
      'aria-label': 'Edit message',
      title: 'Edit this message and send it again (drops everything after it)',
    },
    codicon(doc, 'edit'),
  );
}

export interface EditComposer {
  readonly element: HTMLElement;
  draft: string;
  focus(): void;
}

export interface EditControls {
  /** The hint shown above the composer while editing. */
  readonly hint: HTMLElement;
  /** A Send while editing becomes a resend of the edited message. */
  rewrite(message: WebviewMessage): WebviewMessage;
  /** After the transcript was redrawn: the edited message is marked again, or, when it is gone (New Task,
   *  another conversation), editing ends and the composer keeps what it holds. */
  refresh(has: (id: string) => boolean): void;
  setBusy(busy: boolean): void;
  dispose(): void;
}

export function createEditControls(root: HTMLElement, composer: EditComposer): EditControls {
  const doc = root.ownerDocument;
  let busy = false;
  let editing: { id: string; draftBefore: string } | undefined;
  const hint = h(
    doc,
    'div',
    { class: 'edit-hint', role: 'status', hidden: true },
    codicon(doc, 'edit'),
    h(
      doc,
      'span',
      {},
      'Editing message — Escape cancels. Sending drops the conversation after it; ' +
        'files stay as they are (use Restore Checkpoint for those).',
    ),
  );

  const stop = (restoreDraft: boolean): void => {
    if (editing === undefined) return;
    if (restoreDraft) composer.draft = editing.draftBefore;
    markEdited(undefined);
    editing = undefined;
    hint.hidden = true;
  };
  // The message being edited is marked, so the user sees which one the hint is about.
  const markEdited = (item: Element | undefined): void => {
    for (const marked of root.querySelectorAll('.item-user.editing')) marked.classList.remove('editing');
    item?.classList.add('editing');
  };

  const onClick = (event: MouseEvent): void => {
    const button = (event.target as Element | null)?.closest?.(`[data-action="${ACTION}"]`);
    const item = button?.closest('.item-user');
    const id = item?.getAttribute('data-item-id');
    if (!button || !root.contains(button) || !id || busy) return;
    const text = item?.querySelector(':scope > .bubble')?.textContent ?? '';
    editing = { id, draftBefore: editing?.draftBefore ?? composer.draft };
    markEdited(item ?? undefined);
    composer.draft = text;
    hint.hidden = false;
    composer.focus();
  };
  const onKey = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || editing === undefined || busy) return;
    event.preventDefault();
    stop(true);
  };
  root.addEventListener('click', onClick);
  composer.element.addEventListener('keydown', onKey);

  return {
    hint,
    rewrite(message) {
      if (message.type !== 'send' || editing === undefined) return message;
      const { id } = editing;
      stop(false);
      return { ...message, type: 'resend', messageId: id };
    },
    refresh(has) {
      if (editing === undefined) return;
      const { id } = editing;
      if (!has(id)) {
        stop(false);
        return;
      }
      const items = root.querySelectorAll('.item-user');
      markEdited([...items].find((item) => item.getAttribute('data-item-id') === id));
    },
    setBusy(value) {
      busy = value;
      root.classList.toggle('turn-running', value);
      for (const button of root.querySelectorAll<HTMLButtonElement>(`[data-action="${ACTION}"]`))
        button.disabled = value;
    },
    dispose() {
      root.removeEventListener('click', onClick);
      composer.element.removeEventListener('keydown', onKey);
    },
  };
}
