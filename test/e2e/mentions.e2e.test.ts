// Issue 12: @-mentions in a real workbench — the Mentions list opened with `@`, driven by the keyboard, the
// picked file as a chip, its content in the model request; the editor's selection added with "Warden: Add
// Selection to Chat" next to the current-file context line. Screenshots in light, dark and high contrast.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { resetModel, scriptModel, setUserSettings, withWorkbench, type Workbench } from './harness';
import { items, messageText, startNewTask, waitForChatRequests, waitIdle } from './chatSteps';

const THEMES = [
  { theme: 'Default Light Modern', name: 'light' },
  { theme: 'Default Dark Modern', name: 'dark' },
  { theme: 'Default High Contrast', name: 'high-contrast' },
] as const;

function mentionsList(workbench: Workbench) {
  return workbench.chatFrame().getByRole('listbox', { name: 'Mentions' });
}

function selectedOption(workbench: Workbench) {
  return mentionsList(workbench).getByRole('option', { selected: true });
}

/** The whole workbench, and the chat view alone (the sidebar's webview, for the README). */
async function chatShot(workbench: Workbench, name: string): Promise<void> {
  const file = await workbench.screenshot(name);
  await workbench.page
    .locator('iframe.webview.ready[src*="extensionId=warden-dev.warden&"]')
    .first()
    .screenshot({ path: file.replace(/\.png$/, '-view.png') });
}

describe('mentions', () => {
  after(() => setUserSettings({ 'workbench.colorTheme': undefined }));

  for (const { theme, name } of THEMES) {
    test(`${name}: @car opens the Mentions list; arrows and Enter pick src/cart.ts as a chip; attached`, async () => {
      setUserSettings({ 'workbench.colorTheme': theme });
      await withWorkbench(`mentions-${name}`, async (workbench) => {
        await workbench.openChat();
        await resetModel();
        await startNewTask(workbench);
        const box = workbench.messageBox();
        await box.click();
        await box.pressSequentially('what does @car', { delay: 30 });
        await mentionsList(workbench).waitFor({ timeout: 20_000 });
        await selectedOption(workbench).filter({ hasText: 'cart.ts' }).waitFor({ timeout: 20_000 });
        await chatShot(workbench, `mentions-list-${name}`);

        // The list wraps: Up from the first option reaches the last, Down comes back.
        const count = await mentionsList(workbench).getByRole('option').count();
        if (count > 1) {
          await box.press('ArrowUp');
          assert.ok(!((await selectedOption(workbench).textContent()) ?? '').includes('cart.ts'));
          await box.press('ArrowDown');
        }
        await box.press('Enter');
        await mentionsList(workbench).waitFor({ state: 'hidden' });
        assert.equal(await box.inputValue(), 'what does @src/cart.ts ');
        const chips = workbench.chatFrame().getByRole('list', { name: 'Attached context' });
        await chips.getByRole('listitem').filter({ hasText: 'cart.ts' }).waitFor();
        await box.pressSequentially('do?');
        await chatShot(workbench, `mentions-chip-${name}`);

        await scriptModel([{ reply: 'It adds up the cart.' }]);
        await box.press('Enter');
        const [request] = await waitForChatRequests(1);
        const user =
          (request.body?.messages ?? [])
            .filter((m) => m.role === 'user')
            .map(messageText)
            .at(-1) ?? '';
        assert.match(user, /^what does @src\/cart\.ts do\?/);
        assert.match(user, /export interface CartItem/);
        await waitIdle(workbench);
        await items(workbench, 'notice').filter({ hasText: 'Attached: src/cart.ts' }).waitFor();
        if (name === 'light') await chatShot(workbench, 'mentions-attached-light');
      });
    });
  }

  test('Escape closes the list and keeps the text', async () => {
    setUserSettings({ 'workbench.colorTheme': 'Default Dark Modern' });
    await withWorkbench('mentions-escape', async (workbench) => {
      await workbench.openChat();
      await startNewTask(workbench);
      const box = workbench.messageBox();
      await box.click();
      await box.pressSequentially('see @', { delay: 30 });
      await mentionsList(workbench).waitFor({ timeout: 20_000 });
      await mentionsList(workbench).getByRole('option', { name: /@git/ }).waitFor();
      await chatShot(workbench, 'mentions-all-dark');
      await box.pressSequentially('READ', { delay: 30 });
      await selectedOption(workbench).filter({ hasText: 'README.md' }).waitFor({ timeout: 20_000 });
      await box.press('Escape');
      await mentionsList(workbench).waitFor({ state: 'hidden' });
      assert.equal(await box.inputValue(), 'see @READ');
    });
  });

  test('Add Selection to Chat: the selected lines as a chip, beside the current-file context line', async () => {
    setUserSettings({ 'workbench.colorTheme': 'Default Light Modern' });
    await withWorkbench('mentions-selection', async (workbench) => {
      await workbench.openChat();
      await startNewTask(workbench);
      const { page } = workbench;
      // Quick Open stays open until a file is picked, so it is driven here rather than through runCommand.
      await page.keyboard.press('Control+P');
      const quickOpen = page.locator('.quick-input-widget input[type="text"]');
      await quickOpen.waitFor();
      await quickOpen.fill('cart.ts');
      await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'cart.ts' }).first().click();
      await page.locator('.monaco-editor .view-lines').first().waitFor();
      await page.locator('.monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+Home');
      for (let line = 0; line < 3; line++) await page.keyboard.press('Shift+ArrowDown');
      await workbench.runCommand('Warden: Add Selection to Chat');
      const chips = workbench.chatFrame().getByRole('list', { name: 'Attached context' });
      await chips.getByRole('listitem').filter({ hasText: 'cart.ts#L1-3' }).waitFor({ timeout: 20_000 });
      await chips.getByRole('listitem').filter({ hasText: 'current file' }).waitFor({ timeout: 20_000 });
      assert.match(await workbench.messageBox().inputValue(), /@src\/cart\.ts#L1-3 $/);
      await chatShot(workbench, 'mentions-selection-light');
    });
  });
});
