// Restore Checkpoint on every user message (shown on hover and focus): it asks the host what a restore would
// do, and shows that in place — the files, which ones someone changed since Warden did (left alone unless
// ticked), and whether to remove the conversation from that message on — before anything is restored.
import type { CheckpointFileView, HostMessage, WebviewMessage } from '../shared/protocol';
import { codicon, h } from './dom';

export interface CheckpointControls {
  showPlan(message: Extract<HostMessage, { type: 'checkpointPlan' }>): void;
  dispose(): void;
}

const ACTION = 'restore-checkpoint';

/** The button on a user message. */
export function checkpointButton(doc: Document): HTMLButtonElement {
  return h(
    doc,
    'button',
    {
      type: 'button',
      class: 'icon-button checkpoint-button',
      'data-action': ACTION,
      title: 'Bring the files Warden changed since this message back to their state at this message',
    },
    codicon(doc, 'discard'),
    h(doc, 'span', { class: 'checkpoint-label' }, 'Restore Checkpoint'),
  );
}

const STATE_TEXT: Record<CheckpointFileView['state'], string> = {
  restore: 'will be restored',
  changed: 'changed since Warden wrote it: left alone unless you tick the box below',
  unchanged: 'already as it was',
  refused: 'cannot be restored',
};

function fileLine(doc: Document, file: CheckpointFileView): HTMLLIElement {
  const what =
    file.state === 'restore' && file.deletes
      ? 'will be deleted (Warden created it after this message)'
      : `${STATE_TEXT[file.state]}${file.reason === undefined ? '' : `: ${file.reason}`}`;
  return h(
    doc,
    'li',
    { class: `checkpoint-file checkpoint-${file.state}` },
    h(doc, 'code', {}, file.path),
    h(doc, 'span', { class: 'checkpoint-file-state' }, ` — ${what}`),
  );
}

export function createCheckpointControls(
  root: HTMLElement,
  post: (message: WebviewMessage) => void,
): CheckpointControls {
  const doc = root.ownerDocument;

  const onClick = (event: MouseEvent): void => {
    const button = (event.target as Element | null)?.closest?.(`[data-action="${ACTION}"]`);
    const item = button?.closest('.item-user');
    const id = item?.getAttribute('data-item-id');
    if (!button || !root.contains(button) || !id) return;
    post({ type: 'planCheckpoint', messageId: id });
  };
  root.addEventListener('click', onClick);

  function itemElement(id: string): HTMLElement | undefined {
    for (const element of root.querySelectorAll<HTMLElement>('.item-user'))
      if (element.getAttribute('data-item-id') === id) return element;
    return undefined;
  }

  function showPlan(message: Extract<HostMessage, { type: 'checkpointPlan' }>): void {
    const item = itemElement(message.messageId);
    if (!item) return;
    item.querySelector(':scope > .checkpoint-confirm')?.remove();
    const changed = message.files.filter((f) => f.state === 'changed').length;
    const overwrite = h(doc, 'input', { type: 'checkbox', class: 'checkpoint-overwrite' });
    const truncate = h(doc, 'input', { type: 'checkbox', class: 'checkpoint-truncate' });
    const restore = h(doc, 'button', { type: 'button', class: 'button-primary' }, codicon(doc, 'discard'), 'Restore');
    const cancel = h(doc, 'button', { type: 'button', class: 'button-secondary' }, 'Cancel');
    const box = h(
      doc,
      'div',
      { class: 'checkpoint-confirm', role: 'group', 'aria-label': 'Restore Checkpoint' },
      h(
        doc,
        'div',
        { class: 'checkpoint-question' },
        message.files.length === 0
          ? 'Warden has changed no file since this message.'
          : 'Restore the files Warden changed since this message to their state at this message?',
      ),
      message.files.length > 0 &&
        h(doc, 'ul', { class: 'checkpoint-files' }, ...message.files.map((f) => fileLine(doc, f))),
      changed > 0 &&
        h(
          doc,
          'label',
          { class: 'checkpoint-option' },
          overwrite,
          ` Also overwrite ${changed === 1 ? 'the file' : `the ${changed} files`} changed since`,
        ),
      h(
        doc,
        'label',
        { class: 'checkpoint-option' },
        truncate,
        ' Remove this message and everything after it from the conversation',
      ),
      h(doc, 'div', { class: 'checkpoint-actions' }, restore, cancel),
    );
    const dismiss = (): void => {
      box.remove();
      item.querySelector<HTMLButtonElement>(`[data-action="${ACTION}"]`)?.focus();
    };
    restore.addEventListener('click', () => {
      post({
        type: 'restoreCheckpoint',
        messageId: message.messageId,
        truncate: truncate.checked,
        overwriteChanged: overwrite.checked,
      });
      box.remove();
    });
    cancel.addEventListener('click', dismiss);
    box.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        dismiss();
      }
    });
    item.append(box);
    restore.focus();
  }

  return {
    showPlan,
    dispose() {
      root.removeEventListener('click', onClick);
    },
  };
}
