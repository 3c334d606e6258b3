// The input area: a textarea named "Message", Send and Stop. Enter sends, Shift+Enter breaks the line,
// Escape stops a running turn. Send is off while busy or empty; Stop exists only while busy.
import type { EditorContextView, MentionSuggestionView, WebviewMessage } from '../shared/protocol';
import { ContextChips } from './contextChips';
import { codicon, h } from './dom';
import { MentionPicker } from './mentionPicker';

export interface ComposerDeps {
  doc: Document;
  post(message: WebviewMessage): void;
  /** The draft changed (saved with the view state so a hidden view keeps it). */
  onDraftChange(): void;
}

/** Tall enough for a pasted snippet, short enough to keep the transcript visible (CSS caps it too). */
const MAX_HEIGHT_PX = 240;

export class Composer {
  readonly element: HTMLElement;
  readonly textarea: HTMLTextAreaElement;
  private readonly sendButton: HTMLButtonElement;
  private readonly stopButton: HTMLButtonElement;
  private readonly mentions: MentionPicker;
  private readonly chips: ContextChips;
  private busy = false;

  constructor(private readonly deps: ComposerDeps) {
    const { doc, post } = deps;
    this.textarea = h(doc, 'textarea', {
      class: 'composer-input',
      'aria-label': 'Message',
      rows: 1,
      placeholder: 'Ask Warden or describe a task (Enter to send, Shift+Enter for a new line)',
    });
    this.sendButton = h(
      doc,
      'button',
      { type: 'button', class: 'icon-button composer-send', 'aria-label': 'Send', title: 'Send (Enter)' },
      codicon(doc, 'send'),
    );
    this.stopButton = h(
      doc,
      'button',
      { type: 'button', class: 'icon-button composer-stop', 'aria-label': 'Stop', title: 'Stop (Escape)' },
      codicon(doc, 'debug-stop'),
    );
    const textChanged = (): void => {
      this.refresh();
      this.deps.onDraftChange();
    };
    this.chips = new ContextChips(doc, this.textarea, textChanged);
    this.mentions = new MentionPicker({
      doc,
      textarea: this.textarea,
      post,
      onPick: (suggestion) => {
        this.chips.add(suggestion);
        textChanged();
      },
    });
    this.element = h(
      doc,
      'div',
      { class: 'composer' },
      this.mentions.element,
      this.chips.element,
      this.textarea,
      h(doc, 'div', { class: 'composer-actions' }, this.stopButton, this.sendButton),
    );

    this.textarea.addEventListener('keydown', (event) => {
      // While an input method is composing (CJK), Enter confirms the composition, not the message.
      if (event.isComposing || event.keyCode === 229) return;
      if (this.mentions.handleKey(event)) return;
      if (event.key === 'Enter' && !event.shiftKey && !event.altKey) {
        event.preventDefault();
        this.send();
      } else if (event.key === 'Escape' && this.busy) {
        event.preventDefault();
        post({ type: 'stop' });
      }
    });
    this.textarea.addEventListener('input', () => {
      this.chips.sync();
      textChanged();
    });
    this.sendButton.addEventListener('click', () => {
      this.send();
      this.textarea.focus();
    });
    this.stopButton.addEventListener('click', () => post({ type: 'stop' }));
    this.refresh();
  }

  get draft(): string {
    return this.textarea.value;
  }

  set draft(text: string) {
    this.textarea.value = text;
    this.refresh();
  }

  /** The host's suggestions for the Mentions list. */
  showMentions(requestId: number, suggestions: MentionSuggestionView[]): void {
    this.mentions.receive(requestId, suggestions);
  }

  setEditorContext(context: EditorContextView | undefined): void {
    this.chips.setEditorContext(context);
  }

  /** A mention from an editor command, inserted at the caret as a chip. */
  insertMention(text: string): void {
    const { textarea } = this;
    const caret = textarea.selectionStart ?? textarea.value.length;
    const before = textarea.value.slice(0, caret);
    const insert = `${before === '' || /\s$/.test(before) ? '' : ' '}${text} `;
    textarea.value = `${before}${insert}${textarea.value.slice(caret)}`;
    textarea.setSelectionRange(caret + insert.length, caret + insert.length);
    const name = text.replace(/^@"?|"$/g, '');
    this.chips.add({ kind: 'file', label: name.slice(name.lastIndexOf('/') + 1), insert: text });
    this.refresh();
    this.deps.onDraftChange();
    textarea.focus();
  }

  setBusy(busy: boolean): void {
    const stopHadFocus = this.deps.doc.activeElement === this.stopButton;
    this.busy = busy;
    this.refresh();
    // Stop disappears when the turn ends; keep the keyboard user in the composer rather than on <body>.
    if (stopHadFocus && !busy) this.textarea.focus();
  }

  focus(): void {
    this.textarea.focus();
  }

  private send(): void {
    const text = messageText(this.textarea.value);
    if (this.busy || !text) return;
    const editorContext = this.chips.editorContext;
    this.deps.post(editorContext === undefined ? { type: 'send', text } : { type: 'send', text, editorContext });
    this.mentions.close();
    this.chips.clearMentions();
    this.textarea.value = '';
    this.refresh();
    this.deps.onDraftChange();
  }

  private refresh(): void {
    this.sendButton.disabled = this.busy || !messageText(this.textarea.value);
    this.stopButton.hidden = !this.busy;
    this.stopButton.disabled = !this.busy;
    this.element.classList.toggle('busy', this.busy);
    this.autoSize();
  }

  /** Grows the textarea with its content (CSSOM is allowed by the CSP; style attributes in markup are not). */
  private autoSize(): void {
    const style = this.textarea.style;
    style.height = 'auto';
    const height = this.textarea.scrollHeight;
    if (height > 0) style.height = `${Math.min(height, MAX_HEIGHT_PX)}px`;
  }
}

/** The text to send: blank lines around it dropped, indentation of the first line kept (pasted code). */
export function messageText(raw: string): string {
  return raw.replace(/^(?:[ \t]*\r?\n)+/, '').trimEnd();
}
