// The model picker and the usage line in a real workbench, in dark, light and high-contrast themes and in a small
// window: switching the model in the header sends the next request to the other profile's model, and after the
// scripted turn the header shows its tokens, cost and the context fill; the status bar names the model.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { e2eEnv, freshWorkspace, openWorkbench, resetModel, scriptModel, setUserSettings } from './harness';
import {
  cardButton,
  chatRequests,
  eventually,
  items,
  pendingApproval,
  scenario,
  startNewTask,
  textOf,
  waitForChatRequests,
  waitIdle,
} from './chatSteps';

const CASES = [
  { theme: 'Default Dark Modern', shot: 'dark' },
  { theme: 'Default Light Modern', shot: 'light' },
  { theme: 'Default High Contrast', shot: 'high-contrast' },
  { theme: 'Default Dark Modern', shot: 'small-window', viewport: { width: 900, height: 640 } },
] as const;

describe('the model picker and usage in the chat header', () => {
  after(() => setUserSettings({ 'workbench.colorTheme': undefined, 'warden.models': undefined }));

  for (const { theme, shot, ...options } of CASES) {
    test(`${shot}: pick a model in the header, the next request goes to it, and its usage shows`, async () => {
      setUserSettings({
        'workbench.colorTheme': theme,
        'warden.models': [
          {
            id: 'e2e-other',
            label: 'Other model',
            provider: 'openai-compatible',
            baseUrl: e2eEnv.modelUrl,
            model: 'other-model',
            contextWindow: 32_000,
            price: { inputPerMillion: 1, outputPerMillion: 2 },
          },
        ],
      });
      const viewport = 'viewport' in options ? options.viewport : undefined;
      const workbench = await openWorkbench({ workspace: freshWorkspace(`models-${shot}`), viewport });
      try {
        await scenario(workbench, `models-${shot}`, async () => {
          await workbench.openChat();
          await resetModel();
          await startNewTask(workbench);
          const picker = workbench.chatFrame().getByRole('combobox', { name: 'Model' });
          await picker.waitFor({ timeout: 30_000 });
          await eventually('both profiles in the picker', async () => (await picker.locator('option').count()) >= 3);
          await picker.selectOption('e2e-other');

          await scriptModel([
            {
              reply: 'Hello from **the other model**.',
              usage: {
                prompt_tokens: 12_000,
                completion_tokens: 800,
                completion_tokens_details: { reasoning_tokens: 0 },
              },
            },
          ]);
          await workbench.sendMessage('Which model are you?');
          await waitIdle(workbench, 60_000);
          const [request] = await waitForChatRequests(1);
          assert.equal(request.body?.model, 'other-model', 'the request went to the picked profile');

          const usage = workbench.chatFrame().locator('.usage-text');
          await eventually(
            'the usage line',
            async () => (await usage.isVisible()) && /Turn:/.test(await textOf(usage)),
          );
          assert.equal(await textOf(usage), 'Turn: 12k in · 800 out · $0.014');
          const meter = workbench.chatFrame().getByRole('meter', { name: 'Context window' });
          assert.equal(await meter.getAttribute('aria-valuetext'), '40% of 32k context');
          assert.equal(await picker.inputValue(), 'e2e-other');
          const status = workbench.page.locator('.statusbar-item', { hasText: 'Other model' });
          await status.first().waitFor({ timeout: 20_000 });
          assert.match(await textOf(status.first()), /Other model · 12\.8k · \$0\.014/);
          await workbench.screenshot(`models-header-${shot}`);
        });
      } finally {
        await workbench.close();
      }
    });
  }

  test('the Demo model, picked in the header, shows a diff card, a command card and how to undo', async () => {
    setUserSettings({ 'workbench.colorTheme': undefined, 'warden.models': undefined });
    const workbench = await openWorkbench({ workspace: freshWorkspace('models-demo') });
    try {
      await scenario(workbench, 'models-demo', async () => {
        await workbench.openChat();
        await resetModel();
        await startNewTask(workbench);
        const picker = workbench.chatFrame().getByRole('combobox', { name: 'Model' });
        await picker.waitFor({ timeout: 30_000 });
        await picker.selectOption('warden-demo');
        await eventually(
          'the status bar to name the Demo model',
          async () => (await workbench.page.locator('.statusbar-item', { hasText: 'Demo model' }).count()) > 0,
        );
        await workbench.sendMessage('Add a doc comment to src/cart.ts');

        const card = pendingApproval(workbench);
        await card.waitFor({ timeout: 60_000 });
        assert.match(await textOf(card), /src\/cart\.ts/);
        await workbench.screenshot('models-demo-diff-card');
        await cardButton(card, 'Approve').click();

        await eventually('the command card', async () => /npm test/.test(await textOf(pendingApproval(workbench))));
        await workbench.screenshot('models-demo-command-card');
        await cardButton(pendingApproval(workbench), 'Reject').click();
        await waitIdle(workbench, 60_000);
        assert.match(await textOf(items(workbench, 'assistant').last()), /Undo Last Turn/);
        assert.equal((await chatRequests()).length, 0, 'the scripted server was never asked');
        await workbench.screenshot('models-demo-undo');
      });
    } finally {
      await workbench.close();
    }
  });
});
