// The chat header: the model picker, chips mounted by other features, and the usage line with the context bar.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ModelChoicesView, UsageTotalsView, UsageView } from '../../../src/shared/protocol';
import { createChatHeader } from '../../../src/webview/chatHeader';
import { createHarness } from './chatHarness';

const choices: ModelChoicesView = {
  selected: 'default',
  options: [
    { id: 'default', label: 'gpt-4o-mini · openai', detail: 'gpt-4o-mini · api.openai.com', group: 'profile' },
    { id: 'local', label: 'Local Qwen', detail: 'qwen2.5-coder · 127.0.0.1:11434', group: 'profile' },
    {
      id: 'vscode-lm.copilot-gpt-4o',
      label: 'GPT-4o (copilot)',
      detail: 'copilot/gpt-4o · VS Code',
      group: 'vscode-lm',
    },
  ],
};

const totals = (extra: Partial<UsageTotalsView> = {}): UsageTotalsView => ({
  calls: 1,
  inputTokens: 1_234,
  cachedInputTokens: 0,
  outputTokens: 56,
  reasoningTokens: 0,
  estimatedCalls: 0,
  cost: [],
  unpricedCalls: 1,
  ...extra,
});

const usage = (extra: Partial<UsageView> = {}): UsageView => ({
  conversation: totals({ calls: 3, inputTokens: 10_500, outputTokens: 700 }),
  lastTurn: totals(),
  context: { usedTokens: 1_290, windowTokens: 128_000, estimated: false },
  ...extra,
});

describe('the model picker', () => {
  test('lists the profiles and VS Code models under their groups, with the one in use selected', () => {
    const h = createHarness();
    h.init();
    h.send({ type: 'models', models: choices });
    const picker = h.screen.getByRole('combobox', { name: 'Model' }) as HTMLSelectElement;
    assert.equal(picker.value, 'default');
    const groups = [...picker.querySelectorAll('optgroup')].map((group) => group.label);
    assert.deepEqual(groups, ['Your profiles', "VS Code's language models"]);
    assert.deepEqual(
      [...picker.options].map((option) => option.textContent),
      ['gpt-4o-mini · openai', 'Local Qwen', 'GPT-4o (copilot)', 'Add Model Profile…'],
    );
    assert.equal((h.root.querySelector('.model-label') as HTMLElement).hidden, true, 'the picker replaces the label');
  });

  test('choosing a profile asks the host to use it for the next turn', () => {
    const h = createHarness();
    h.init();
    h.send({ type: 'models', models: choices });
    const picker = h.screen.getByRole('combobox', { name: 'Model' }) as HTMLSelectElement;
    picker.value = 'local';
    picker.dispatchEvent(new h.window.Event('change'));
    assert.deepEqual(h.posted.at(-1), { type: 'selectModel', id: 'local' });
  });

  test('"Add Model Profile…" runs the command and leaves the model in use selected', () => {
    const h = createHarness();
    h.init();
    h.send({ type: 'models', models: choices });
    const picker = h.screen.getByRole('combobox', { name: 'Model' }) as HTMLSelectElement;
    picker.selectedIndex = picker.options.length - 1;
    picker.dispatchEvent(new h.window.Event('change'));
    assert.deepEqual(h.posted.at(-1), { type: 'action', command: 'warden.addModelProfile' });
    assert.equal(picker.value, 'default');
  });

  test('the host’s answer moves the selection (a switch from the palette shows in the header)', () => {
    const h = createHarness();
    h.init();
    h.send({ type: 'models', models: choices });
    h.send({ type: 'models', models: { ...choices, selected: 'local' } });
    const picker = h.screen.getByRole('combobox', { name: 'Model' }) as HTMLSelectElement;
    assert.equal(picker.value, 'local');
    assert.match(picker.title, /^Local Qwen\nqwen2\.5-coder · 127\.0\.0\.1:11434/);
  });

  test('before the host sends the picker, the session’s model label shows', () => {
    const h = createHarness();
    h.init({ modelLabel: 'm2 · 127.0.0.1:9' });
    assert.equal(h.root.querySelector('.model-label')?.textContent, 'm2 · 127.0.0.1:9');
    assert.equal((h.root.querySelector('.model-select') as HTMLElement).hidden, true);
  });
});

describe('chips in the header', () => {
  test('a mounted chip sits in the header before the mode picker, in mount order', () => {
    const h = createHarness();
    const header = createChatHeader(h.document, () => undefined);
    const first = h.document.createElement('button');
    const second = h.document.createElement('button');
    header.mountChip(first);
    header.mountChip(second);
    const actions = header.element.querySelector('.header-actions')!;
    const order = [...actions.querySelectorAll('button, select')];
    assert.deepEqual(order.slice(0, 3), [first, second, actions.querySelector('.mode-select')]);
  });

  test('the MCP status is mounted as a chip of the header', () => {
    const h = createHarness();
    h.init();
    assert.ok(h.root.querySelector('.header-chips .mcp-status'));
  });
});

describe('the usage line', () => {
  test('is hidden until a model call reported tokens', () => {
    const h = createHarness();
    h.init();
    assert.equal((h.root.querySelector('.usage') as HTMLElement).hidden, true);
  });

  test('shows the turn and the conversation, and the context fill as a meter', () => {
    const h = createHarness();
    h.init();
    h.send({ type: 'usage', usage: usage() });
    const line = h.root.querySelector('.usage') as HTMLElement;
    assert.equal(line.hidden, false);
    assert.equal(
      h.root.querySelector('.usage-text')?.textContent,
      'Turn: 1.23k in · 56 out  ·  Total: 10.5k in · 700 out',
    );
    const meter = h.screen.getByRole('meter', { name: 'Context window' });
    assert.equal(meter.getAttribute('aria-valuenow'), '1');
    assert.equal(meter.getAttribute('aria-valuetext'), '1% of 128k context');
    assert.match(meter.className, /context-ok/);
  });

  test('while the conversation is one turn long, its numbers are said once', () => {
    const h = createHarness();
    h.init();
    h.send({ type: 'usage', usage: usage({ conversation: totals() }) });
    assert.equal(h.root.querySelector('.usage-text')?.textContent, 'Turn: 1.23k in · 56 out');
  });

  test('cost, reasoning and cached tokens appear when there are any; the tooltip has every number', () => {
    const h = createHarness();
    h.init();
    const turn = totals({
      reasoningTokens: 20,
      cachedInputTokens: 1_000,
      cost: [{ amount: 0.00123, currency: 'USD' }],
      unpricedCalls: 0,
    });
    h.send({ type: 'usage', usage: usage({ lastTurn: turn, conversation: turn }) });
    const text = h.root.querySelector('.usage-text') as HTMLElement;
    assert.match(text.textContent ?? '', /^Turn: 1\.23k in · 56 out · 20 reasoning · \$0\.0012/);
    assert.match(text.title, /Input: 1,234 tokens \(1,000 cached\)/);
    assert.match(text.title, /Output: 56 tokens \(20 reasoning\)/);
    assert.match(text.title, /Cost: \$0\.0012/);
  });

  test('numbers counted locally are marked as an estimate', () => {
    const h = createHarness();
    h.init();
    const estimated = totals({ estimatedCalls: 1 });
    h.send({
      type: 'usage',
      usage: usage({
        lastTurn: estimated,
        conversation: estimated,
        context: { usedTokens: 1_290, windowTokens: 8_192, estimated: true },
      }),
    });
    assert.match(h.root.querySelector('.usage-text')?.textContent ?? '', /\(estimate\)$/);
    assert.match(h.root.querySelector('.usage-text')?.getAttribute('title') ?? '', /1 of 1 calls counted locally/);
    assert.equal(h.root.querySelector('.context-label')?.textContent, '16% of 8.19k context (estimate)');
  });

  test('a nearly full context window turns the bar to a warning, then to full', () => {
    const h = createHarness();
    h.init();
    h.send({ type: 'usage', usage: usage({ context: { usedTokens: 850, windowTokens: 1_000, estimated: false } }) });
    assert.match(h.screen.getByRole('meter', { name: 'Context window' }).className, /context-warning/);
    h.send({ type: 'usage', usage: usage({ context: { usedTokens: 1_200, windowTokens: 1_000, estimated: false } }) });
    const meter = h.screen.getByRole('meter', { name: 'Context window' });
    assert.match(meter.className, /context-full/);
    assert.equal(meter.getAttribute('aria-valuenow'), '100');
    assert.equal((h.root.querySelector('.context-fill') as HTMLElement).style.width, '100%');
  });

  test('comes back with the host’s init (a reloaded view) and goes with New Task', () => {
    const h = createHarness();
    h.init({ usage: usage() });
    assert.equal((h.root.querySelector('.usage') as HTMLElement).hidden, false);
    h.init({});
    assert.equal((h.root.querySelector('.usage') as HTMLElement).hidden, true);
  });

  test('a malformed usage message is dropped by the guard', () => {
    const h = createHarness();
    h.init();
    h.app.receive({ type: 'usage', usage: { conversation: { calls: -1 } } });
    assert.equal((h.root.querySelector('.usage') as HTMLElement).hidden, true);
  });
});
