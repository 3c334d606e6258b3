// The "summary of earlier conversation" marker: older turns were summarised for the model (they stay above
// it in the chat). Collapsed by default; the summary is shown as text, never as markup.
import type { TranscriptItem } from '../shared/protocol';
import { codicon, h } from './dom';

const count = (tokens: number) => Math.round(tokens).toLocaleString('en-US');

export function renderSummary(doc: Document, item: Extract<TranscriptItem, { kind: 'summary' }>): HTMLElement {
  return h(
    doc,
    'details',
    { class: 'summary-marker' },
    h(
      doc,
      'summary',
      {},
      codicon(doc, 'fold'),
      h(doc, 'span', { class: 'summary-title' }, 'Summary of earlier conversation'),
      h(
        doc,
        'span',
        { class: 'summary-tokens' },
        ` · about ${count(item.tokensBefore)} → ${count(item.tokensAfter)} tokens`,
      ),
    ),
    h(
      doc,
      'div',
      { class: 'summary-text' },
      h(doc, 'p', { class: 'summary-note' }, 'The model now sees this summary instead of the turns above it.'),
      item.text,
    ),
  );
}
