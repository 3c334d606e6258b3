// The chat header: the model picker (accessible name "Model"), chips other features mount (MCP status, the
// sandbox shield…), the mode and New Task, and below them the usage line with the context-window bar.
// Everything is built as text; the picker only posts ids the host sent.
import type { ChatState, Mode, ModelChoicesView, UsageView, WebviewMessage } from '../shared/protocol';
import { contextPercent, contextText, isEstimate, totalsDetail, totalsText } from '../shared/usageText';
import { codicon, h } from './dom';

export interface ChatHeader {
  readonly element: HTMLElement;
  /** Adds a chip (a small status button) to the header, before the mode picker, in mount order. */
  mountChip(chip: HTMLElement): void;
  /** The mode and the model label the session reports (the label shows until the host sends the picker). */
  render(state: Pick<ChatState, 'mode' | 'modelLabel'>): void;
  setModels(models: ModelChoicesView): void;
  setUsage(usage: UsageView | undefined): void;
}

/** The picker's last entry: not a profile, it opens "Warden: Add Model Profile". */
const ADD_PROFILE_VALUE = '\u0000add-profile';
/** From this fill on the bar warns: the conversation will soon be shortened for the model. */
const CONTEXT_WARNING_PERCENT = 80;
const CONTEXT_FULL_PERCENT = 95;

const GROUP_LABELS: Record<ModelChoicesView['options'][number]['group'], string> = {
  profile: 'Your profiles',
  'vscode-lm': "VS Code's language models",
  demo: 'Demo',
};

export function createChatHeader(doc: Document, post: (message: WebviewMessage) => void): ChatHeader {
  const modelLabel = h(doc, 'span', { class: 'model-label' });
  const modelSelect = h(doc, 'select', { class: 'model-select', 'aria-label': 'Model', hidden: true });
  const modeSelect = h(
    doc,
    'select',
    {
      class: 'mode-select',
      'aria-label': 'Mode',
      title: 'Ask answers questions; Agent may also read, edit and run (with your approval)',
    },
    h(doc, 'option', { value: 'ask' }, 'Ask'),
    h(doc, 'option', { value: 'agent' }, 'Agent'),
  );
  const newTask = h(
    doc,
    'button',
    {
      type: 'button',
      class: 'button-secondary new-task',
      title: 'Start a new task (this conversation stays in History)',
    },
    codicon(doc, 'add'),
    h(doc, 'span', { class: 'new-task-label' }, 'New Task'),
  );
  const chips = h(doc, 'span', { class: 'header-chips' });
  const row = h(
    doc,
    'div',
    { class: 'header' },
    h(doc, 'span', { class: 'model' }, codicon(doc, 'hubot'), modelLabel, modelSelect),
    h(doc, 'span', { class: 'header-actions' }, chips, modeSelect, newTask),
  );

  const usageText = h(doc, 'span', { class: 'usage-text' });
  const contextFill = h(doc, 'span', { class: 'context-fill' });
  const contextBar = h(
    doc,
    'span',
    { class: 'context-bar', role: 'meter', 'aria-label': 'Context window', 'aria-valuemin': 0, 'aria-valuemax': 100 },
    contextFill,
  );
  const contextLabel = h(doc, 'span', { class: 'context-label' });
  const contextGroup = h(doc, 'span', { class: 'context' }, contextBar, contextLabel);
  const usageRow = h(doc, 'div', { class: 'usage', hidden: true }, usageText, contextGroup);
  const element = h(doc, 'div', { class: 'chat-header' }, row, usageRow);

  let models: ModelChoicesView | undefined;

  modeSelect.addEventListener('change', () => {
    const mode = modeSelect.value as Mode;
    if (mode === 'ask' || mode === 'agent') post({ type: 'setMode', mode });
  });
  newTask.addEventListener('click', () => post({ type: 'newTask' }));
  modelSelect.addEventListener('change', () => {
    const value = modelSelect.value;
    if (value === ADD_PROFILE_VALUE) {
      // The picker keeps showing the model in use; the command adds (and may select) a new one.
      if (models !== undefined) modelSelect.value = models.selected;
      post({ type: 'action', command: 'warden.addModelProfile' });
      return;
    }
    if (models?.options.some((option) => option.id === value)) post({ type: 'selectModel', id: value });
  });

  function renderModels(choices: ModelChoicesView): void {
    const groups = new Map<string, HTMLOptGroupElement>();
    const children: HTMLElement[] = [];
    for (const option of choices.options) {
      let group = groups.get(option.group);
      if (group === undefined) {
        group = h(doc, 'optgroup', { label: GROUP_LABELS[option.group] });
        groups.set(option.group, group);
        children.push(group);
      }
      group.append(h(doc, 'option', { value: option.id, title: option.detail }, option.label));
    }
    children.push(h(doc, 'option', { value: ADD_PROFILE_VALUE }, 'Add Model Profile…'));
    modelSelect.replaceChildren(...children);
    modelSelect.value = choices.selected;
    const selected = choices.options.find((option) => option.id === choices.selected);
    modelSelect.title = selected === undefined ? '' : `${selected.label}\n${selected.detail}\nThe next turn uses it.`;
    modelSelect.hidden = false;
    modelLabel.hidden = true;
  }

  function renderUsage(usage: UsageView | undefined): void {
    usageRow.hidden = usage === undefined;
    if (usage === undefined) return;
    const turn = usage.lastTurn;
    // While the conversation is one turn long the two totals are the same: say it once.
    const parts =
      turn === undefined || turn.calls === usage.conversation.calls
        ? [`Turn: ${totalsText(usage.conversation)}`]
        : [`Turn: ${totalsText(turn)}`, `Total: ${totalsText(usage.conversation)}`];
    const estimate = isEstimate(usage.conversation) || (turn !== undefined && isEstimate(turn));
    usageText.textContent = parts.join('  ·  ') + (estimate ? ' (estimate)' : '');
    usageText.classList.toggle('usage-estimate', estimate);
    const details = [
      ...(turn === undefined ? [] : [totalsDetail('Last turn', turn)]),
      totalsDetail('Conversation', usage.conversation),
    ];
    usageText.title = details.join('\n');

    const context = usage.context;
    contextGroup.hidden = context === undefined;
    if (context === undefined) return;
    const percent = contextPercent(context);
    contextFill.style.width = `${Math.min(100, percent)}%`;
    const level = percent >= CONTEXT_FULL_PERCENT ? 'full' : percent >= CONTEXT_WARNING_PERCENT ? 'warning' : 'ok';
    contextBar.className = `context-bar context-${level}`;
    const text = contextText(context);
    contextBar.setAttribute('aria-valuenow', String(Math.min(100, percent)));
    contextBar.setAttribute('aria-valuetext', text);
    contextBar.title = `${context.usedTokens.toLocaleString('en-US')} of ${context.windowTokens.toLocaleString(
      'en-US',
    )} tokens on the last model call`;
    contextLabel.textContent = text;
  }

  return {
    element,
    mountChip(chip) {
      chips.append(chip);
    },
    render(state) {
      modelLabel.textContent = state.modelLabel || 'No model configured';
      modelLabel.title = state.modelLabel;
      modeSelect.value = state.mode;
    },
    setModels(choices) {
      models = choices;
      renderModels(choices);
    },
    setUsage: renderUsage,
  };
}
