// The composer's @-mention list: typing `@` asks the host for suggestions (files and folders of the workspace,
// @problems, @selection, @terminal, @git) and shows them in a listbox named "Mentions" below the textarea's
// focus (aria-activedescendant: the caret never leaves the textarea). Arrow keys move, Enter or Tab pick,
// Escape closes. The host decides what is offered; this list only shows it.
import type { Codicon } from '../shared/codicons';
import type { MentionSuggestionView, WebviewMessage } from '../shared/protocol';
import { codicon, h } from './dom';

export interface MentionPickerDeps {
  doc: Document;
  textarea: HTMLTextAreaElement;
  post(message: WebviewMessage): void;
  /** A suggestion was picked: the text was replaced already. */
  onPick(suggestion: MentionSuggestionView): void;
}

const LISTBOX_ID = 'warden-mentions';
/** What precedes the caret while a mention is being typed: `@` at a word start, then no space or quote. */
const TYPING = /(^|[\s([{])@([^\s"`'<>()[\]{}@]{0,200})$/;
const ICONS: Record<MentionSuggestionView['kind'], Codicon> = { file: 'file', folder: 'folder', special: 'mention' };

export class MentionPicker {
  readonly element: HTMLElement;
  private suggestions: MentionSuggestionView[] = [];
  private active = 0;
  private requestId = 0;
  /** Where the `@` being typed is; undefined while no mention is typed. */
  private anchor: number | undefined;
  /** The `@` the user closed with Escape: not reopened until another is typed. */
  private dismissed: number | undefined;

  constructor(private readonly deps: MentionPickerDeps) {
    const { doc, textarea } = deps;
    this.element = h(doc, 'div', { class: 'mention-list', role: 'listbox', id: LISTBOX_ID, 'aria-label': 'Mentions' });
    this.element.hidden = true;
    textarea.setAttribute('aria-autocomplete', 'list');
    textarea.setAttribute('aria-controls', LISTBOX_ID);
    textarea.setAttribute('aria-expanded', 'false');
    // mousedown, not click: the textarea keeps its focus and caret.
    this.element.addEventListener('mousedown', (event) => {
      const option = (event.target as Element | null)?.closest?.('[role="option"]');
      if (option === null || option === undefined) return;
      event.preventDefault();
      this.pick(Number(option.getAttribute('data-index')));
    });
    textarea.addEventListener('input', () => this.update());
    textarea.addEventListener('click', () => this.update());
    textarea.addEventListener('blur', () => this.close());
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  /** The composer calls this first on every keydown; true when the list used the key. */
  handleKey(event: KeyboardEvent): boolean {
    if (!this.isOpen) {
      if (event.key === 'ArrowLeft' || event.key === 'ArrowRight' || event.key === 'Home' || event.key === 'End')
        this.deps.doc.defaultView?.setTimeout(() => this.update(), 0);
      return false;
    }
    const count = this.suggestions.length;
    switch (event.key) {
      case 'ArrowDown':
        this.setActive((this.active + 1) % count);
        break;
      case 'ArrowUp':
        this.setActive((this.active - 1 + count) % count);
        break;
      case 'Enter':
      case 'Tab':
        if (event.shiftKey && event.key === 'Tab') return false;
        this.pick(this.active);
        break;
      case 'Escape':
        this.dismissed = this.anchor;
        this.close();
        break;
      default:
        return false;
    }
    event.preventDefault();
    event.stopPropagation();
    return true;
  }

  /** The host's answer; only the newest request's is shown. */
  receive(requestId: number, suggestions: MentionSuggestionView[]): void {
    if (requestId !== this.requestId || this.anchor === undefined) return;
    this.suggestions = suggestions;
    if (suggestions.length === 0) {
      this.close();
      return;
    }
    this.render();
  }

  close(): void {
    this.element.hidden = true;
    this.suggestions = [];
    this.deps.textarea.setAttribute('aria-expanded', 'false');
    this.deps.textarea.removeAttribute('aria-activedescendant');
  }

  /** Looks at the text before the caret: a mention being typed asks the host for suggestions. */
  private update(): void {
    const { textarea } = this.deps;
    const caret = textarea.selectionStart ?? textarea.value.length;
    const match = TYPING.exec(textarea.value.slice(0, caret));
    if (match === null || textarea.selectionEnd !== caret) {
      this.anchor = undefined;
      this.dismissed = undefined;
      this.close();
      return;
    }
    const anchor = caret - match[2].length - 1;
    if (anchor === this.dismissed) return;
    this.dismissed = undefined;
    this.anchor = anchor;
    this.deps.post({ type: 'mentionQuery', requestId: ++this.requestId, query: match[2] });
  }

  private render(): void {
    const { doc, textarea } = this.deps;
    this.active = 0;
    this.element.replaceChildren(
      ...this.suggestions.map((suggestion, index) =>
        h(
          doc,
          'div',
          {
            class: `mention-option mention-${suggestion.kind}`,
            role: 'option',
            id: `${LISTBOX_ID}-${index}`,
            'data-index': index,
            'aria-selected': 'false',
            title: suggestion.detail,
          },
          codicon(doc, ICONS[suggestion.kind]),
          h(doc, 'span', { class: 'mention-label' }, suggestion.label),
          h(doc, 'span', { class: 'mention-detail' }, suggestion.detail),
        ),
      ),
    );
    this.element.hidden = false;
    textarea.setAttribute('aria-expanded', 'true');
    this.setActive(0);
  }

  private setActive(index: number): void {
    const options = this.element.querySelectorAll('[role="option"]');
    options[this.active]?.setAttribute('aria-selected', 'false');
    this.active = index;
    const option = options[index];
    if (option === undefined) return;
    option.setAttribute('aria-selected', 'true');
    this.deps.textarea.setAttribute('aria-activedescendant', option.id);
    option.scrollIntoView?.({ block: 'nearest' });
  }

  private pick(index: number): void {
    const suggestion = this.suggestions[index];
    const { textarea } = this.deps;
    if (suggestion === undefined || this.anchor === undefined) return;
    const caret = textarea.selectionStart ?? textarea.value.length;
    const after = textarea.value.slice(caret);
    const insert = `${suggestion.insert}${after.startsWith(' ') ? '' : ' '}`;
    textarea.value = `${textarea.value.slice(0, this.anchor)}${insert}${after}`;
    const position = this.anchor + insert.length;
    textarea.setSelectionRange(position, position);
    this.anchor = undefined;
    this.close();
    this.deps.onPick(suggestion);
  }
}
