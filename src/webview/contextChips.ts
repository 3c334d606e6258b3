// Above the composer's textarea: the active editor's context line (file and selected lines, sent with the
// message unless the user removes it) and a chip for each picked mention (removing one removes its text).
import type { Codicon } from '../shared/codicons';
import type { EditorContextView, MentionSuggestionView } from '../shared/protocol';
import { codicon, h } from './dom';

interface Chip {
  kind: MentionSuggestionView['kind'];
  label: string;
  insert: string;
}

const ICONS: Record<Chip['kind'], Codicon> = { file: 'file', folder: 'folder', special: 'mention' };

export class ContextChips {
  readonly element: HTMLElement;
  private chips: Chip[] = [];
  private editor: EditorContextView | undefined;
  /** The file whose context line the user removed: it stays off until the editor shows another file. */
  private removedPath: string | undefined;

  constructor(
    private readonly doc: Document,
    private readonly textarea: HTMLTextAreaElement,
    /** The text changed through a chip (removed mention). */
    private readonly onTextChange: () => void,
  ) {
    this.element = h(doc, 'div', { class: 'context-chips', role: 'list', 'aria-label': 'Attached context' });
    this.render();
  }

  /** The editor context to send with the message (undefined when none, or removed). */
  get editorContext(): EditorContextView | undefined {
    return this.editor !== undefined && this.editor.path !== this.removedPath ? this.editor : undefined;
  }

  setEditorContext(context: EditorContextView | undefined): void {
    if (context?.path !== this.editor?.path) this.removedPath = undefined;
    this.editor = context;
    this.render();
  }

  add(suggestion: Pick<MentionSuggestionView, 'kind' | 'label' | 'insert'>): void {
    if (this.chips.some((chip) => chip.insert === suggestion.insert)) return;
    this.chips.push({ kind: suggestion.kind, label: suggestion.label, insert: suggestion.insert });
    this.render();
  }

  /** The text changed: a chip whose mention was deleted goes too. */
  sync(): void {
    const text = this.textarea.value;
    const kept = this.chips.filter((chip) => text.includes(chip.insert));
    if (kept.length !== this.chips.length) {
      this.chips = kept;
      this.render();
    }
  }

  /** After sending: mentions go, the editor context stays (it follows the editor). */
  clearMentions(): void {
    this.chips = [];
    this.render();
  }

  private render(): void {
    const { doc } = this;
    const items: HTMLElement[] = [];
    const editor = this.editorContext;
    if (editor !== undefined) {
      const name = editor.path.slice(editor.path.lastIndexOf('/') + 1);
      const lines =
        editor.startLine === undefined
          ? ''
          : editor.startLine === editor.endLine
            ? `:${editor.startLine}`
            : `:${editor.startLine}-${editor.endLine}`;
      const remove = this.removeButton(`Remove current file context ${editor.path}`, () => {
        this.removedPath = editor.path;
        this.render();
      });
      items.push(
        h(
          doc,
          'span',
          { class: 'context-chip editor-context', role: 'listitem', title: `Current file: ${editor.path}${lines}` },
          codicon(doc, 'file'),
          h(doc, 'span', { class: 'chip-label' }, `${name}${lines}`),
          h(doc, 'span', { class: 'chip-note' }, 'current file'),
          remove,
        ),
      );
    }
    for (const chip of this.chips) {
      const remove = this.removeButton(`Remove ${chip.insert}`, () => {
        this.textarea.value = this.textarea.value.replace(`${chip.insert} `, '').replace(chip.insert, '');
        this.chips = this.chips.filter((c) => c !== chip);
        this.render();
        this.onTextChange();
        this.textarea.focus();
      });
      items.push(
        h(
          doc,
          'span',
          { class: `context-chip mention-chip mention-${chip.kind}`, role: 'listitem', title: chip.insert },
          codicon(doc, ICONS[chip.kind]),
          h(doc, 'span', { class: 'chip-label' }, chip.label),
          remove,
        ),
      );
    }
    this.element.replaceChildren(...items);
    this.element.hidden = items.length === 0;
  }

  private removeButton(label: string, onClick: () => void): HTMLButtonElement {
    const button = h(
      this.doc,
      'button',
      { type: 'button', class: 'icon-button chip-remove', 'aria-label': label, title: label },
      codicon(this.doc, 'close'),
    );
    button.addEventListener('click', onClick);
    return button;
  }
}
