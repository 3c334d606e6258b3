// "Why?" beside a decision: asks the host to open the explanation of that decision (warden.explainDecision).
// The page names only the transcript item (and the card item): the host looks the decision up itself.
import type { WebviewMessage } from '../shared/protocol';
import { codicon, h } from './dom';

export function whyButton(
  doc: Document,
  post: (message: WebviewMessage) => void,
  itemId: string,
  partId?: string,
): HTMLButtonElement {
  const button = h(
    doc,
    'button',
    {
      type: 'button',
      class: 'button-link why-button',
      title: 'Why? Open the rule and reason behind this decision',
      'data-ui-key': `why:${itemId}:${partId ?? ''}`,
    },
    codicon(doc, 'question'),
    'Why?',
  );
  button.addEventListener('click', () =>
    post({ type: 'explain', itemId, ...(partId === undefined ? {} : { partId }) }),
  );
  return button;
}
