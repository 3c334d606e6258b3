// Looking inside the guard in a real browser: "Warden: Check Command…" from the palette opens an explanation
// that follows the theme (light, dark, high contrast), shows untrusted text escaped and hidden characters as
// marks, and works from the keyboard; "Warden: Open Audit Log" shows a real turn's records, filtered by
// decision from the keyboard. Screenshots: test-results/e2e/inspect-*.png.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import { eventually, sendAndWaitIdle, startNewTask } from './chatSteps';
import { openWorkbench, resetModel, scriptModel, setUserSettings, type Workbench } from './harness';

const extensionId = 'warden-dev.warden';

/** The inner document of the Warden webview whose page title is `title` (the chat is a webview too). */
async function inspectionFrame(workbench: Workbench, title: string): Promise<FrameLocator> {
  return eventually(`the "${title}" panel`, async () => {
    const frames = workbench.page.locator(`iframe.webview.ready[src*="extensionId=${extensionId}&"]`);
    for (let i = 0; i < (await frames.count()); i++) {
      const frame = frames.nth(i).contentFrame().frameLocator('#active-frame');
      if ((await frame.locator('h1#page-title', { hasText: title }).count()) > 0) return frame;
    }
    return undefined;
  });
}

/** Runs a palette command that answers with an input box, and submits `text` to that box. */
async function runWithInput(page: Page, label: string, title: string, text: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input[type="text"]');
  await input.waitFor();
  await input.fill(`>${label}`);
  await page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name').getByText(label, { exact: true }) })
    .first()
    .click();
  await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor();
  await input.fill(text);
  await input.press('Enter');
}

function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? ['0', '0', '0'])
    .slice(0, 3)
    .map((v) => Number(v) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** The text colour of the element and the background actually behind it. */
async function colours(frame: FrameLocator, selector: string): Promise<{ text: string; background: string }> {
  return frame
    .locator(selector)
    .first()
    .evaluate((element) => {
      let painted: Element | null = element;
      while (painted && /rgba\(.*,\s*0\)|transparent/.test(getComputedStyle(painted).backgroundColor))
        painted = painted.parentElement;
      return {
        text: getComputedStyle(element).color,
        background: painted ? getComputedStyle(painted).backgroundColor : 'rgb(255, 255, 255)',
      };
    });
}

const COMMAND = 'git status; cat .env && echo "<b>bold</b>" \u202Etxt.exe';

const THEMES = [
  { theme: 'Default Light Modern', bodyClass: 'vscode-light', shot: 'inspect-command-light' },
  { theme: 'Default Dark Modern', bodyClass: 'vscode-dark', shot: 'inspect-command-dark' },
  { theme: 'Default High Contrast', bodyClass: 'vscode-high-contrast', shot: 'inspect-command-high-contrast' },
] as const;

describe('inspecting the guard', () => {
  after(() => setUserSettings({ 'workbench.colorTheme': undefined }));

  for (const { theme, bodyClass, shot } of THEMES) {
    test(`in ${theme}, Check Command explains a refusal legibly, with untrusted text escaped`, async () => {
      setUserSettings({ 'workbench.colorTheme': theme });
      const workbench = await openWorkbench({ viewport: { width: 1400, height: 900 } });
      try {
        await runWithInput(workbench.page, 'Warden: Check Command…', 'Warden: Check Command', COMMAND);
        const frame = await inspectionFrame(workbench, 'Warden: Check Command');
        await frame.locator('.headline strong', { hasText: 'Refused' }).waitFor();
        assert.match((await frame.locator('body').getAttribute('class')) ?? '', new RegExp(`\\b${bodyClass}\\b`));

        // The command is shown as text: its markup is not rendered, the override is a visible mark.
        const subject = frame.locator('.subject-block pre code');
        assert.equal(await subject.locator('b').count(), 0);
        assert.match(await subject.innerText(), /echo "<b>bold<\/b>" U\+202Etxt\.exe$/);
        assert.equal(await subject.locator('.hidden-char').getAttribute('title'), 'right-to-left override');
        // Every part, the deciding one marked.
        const rows = frame.locator('table.parts tbody tr');
        assert.ok((await rows.count()) >= 3);
        assert.equal(await frame.locator('tr.decisive th code.subject').innerText(), 'cat .env');

        const headline = await colours(frame, '.headline strong');
        assert.ok(contrast(headline.text, headline.background) >= 4.5, `headline ${JSON.stringify(headline)}`);
        const icon = await colours(frame, '.headline .verdict-icon.v-deny');
        assert.ok(contrast(icon.text, icon.background) >= 3, `verdict icon ${JSON.stringify(icon)}`);
        const deny = await colours(frame, 'tr.decisive .badge.v-deny');
        assert.ok(contrast(deny.text, deny.background) >= 3, `deny badge ${JSON.stringify(deny)}`);
        const reason = await colours(frame, 'table.parts tbody td');
        assert.ok(contrast(reason.text, reason.background) >= 4.5, `table text ${JSON.stringify(reason)}`);
        await workbench.screenshot(shot);
      } finally {
        await workbench.close();
      }
    });
  }

  test('the explanation works from the keyboard: Tab reaches a settings link, Enter opens the Settings', async () => {
    setUserSettings({ 'workbench.colorTheme': 'Default Dark Modern' });
    const workbench = await openWorkbench({ viewport: { width: 1400, height: 900 } });
    try {
      await runWithInput(workbench.page, 'Warden: Check Command…', 'Warden: Check Command', 'npm test');
      const frame = await inspectionFrame(workbench, 'Warden: Check Command');
      await frame.locator('.headline strong', { hasText: 'Asks you first' }).waitFor();
      await frame.locator('h1').click();
      const focused = async () =>
        frame.locator('body').evaluate(() => {
          const active = document.activeElement;
          return active ? `${active.tagName} ${active.textContent ?? ''}` : '';
        });
      const link = 'Open warden.commands.allow in your user settings';
      await eventually(`Tab to reach "${link}"`, async () => {
        await workbench.page.keyboard.press('Tab');
        return (await focused()) === `A ${link}`;
      });
      await workbench.page.keyboard.press('Enter');
      await workbench.page.locator('.settings-editor').waitFor({ timeout: 20_000 });
      const search = await workbench.page.locator('.settings-editor .suggest-input-container .view-line').innerText();
      assert.match(search.replace(/\u00a0/g, ' '), /warden\.commands\.allow/);
      await workbench.page.locator('.settings-editor .setting-item-label', { hasText: 'Allow' }).first().waitFor();
      await workbench.screenshot('inspect-settings-link');
    } finally {
      await workbench.close();
    }
  });

  test('Open Audit Log shows a turn’s records, and the decision filter works from the keyboard', async () => {
    setUserSettings({ 'workbench.colorTheme': 'Default Dark Modern' });
    const workbench = await openWorkbench({ viewport: { width: 1400, height: 900 } });
    try {
      await workbench.openChat();
      await resetModel();
      await startNewTask(workbench);
      await scriptModel([
        {
          toolCalls: [
            { name: 'read_file', arguments: { path: 'src/cart.ts' } },
            { name: 'read_file', arguments: { path: '.env' } },
          ],
        },
        { reply: 'The cart is readable; .env is not.' },
      ]);
      await sendAndWaitIdle(workbench, 'Read the cart and the .env file');

      await workbench.runCommand('Warden: Open Audit Log');
      const frame = await inspectionFrame(workbench, 'Warden Audit Log');
      await frame.locator('.chain .headline strong', { hasText: 'The audit log is intact' }).waitFor();
      const allowed = frame.locator('tr.entry.v-allow', { hasText: 'src/cart.ts' }).last();
      const denied = frame.locator('tr.entry.v-deny', { hasText: '.env' }).last();
      await allowed.waitFor();
      await denied.waitFor();
      await workbench.screenshot('inspect-audit-log-dark');

      // Radio buttons: focus the first, arrows move the choice (All → Allowed → Asked → Denied).
      await frame.locator('#show-all').focus();
      for (let i = 0; i < 3; i++) await workbench.page.keyboard.press('ArrowRight');
      assert.equal(await frame.locator('#show-deny').isChecked(), true);
      await allowed.waitFor({ state: 'hidden' });
      assert.equal(await denied.isVisible(), true);
      await workbench.screenshot('inspect-audit-log-denied-only');
    } finally {
      await workbench.close();
    }
  });
});
