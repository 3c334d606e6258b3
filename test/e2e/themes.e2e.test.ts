// The chat follows VS Code's theme: the webview gets the workbench's theme kind and paints only with
// --vscode-* colours, so a card stays legible in light, dark and high-contrast themes.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { openWorkbench, resetModel, scriptModel, setUserSettings } from './harness';
import { cardButton, pendingApproval, startNewTask, waitIdle } from './chatSteps';

const THEMES = [
  { theme: 'Default Dark Modern', bodyClass: 'vscode-dark', shot: 'theme-dark' },
  { theme: 'Default High Contrast', bodyClass: 'vscode-high-contrast', shot: 'theme-high-contrast' },
] as const;

/** Relative luminance difference, enough to tell "legible" from "same colour as the background". */
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

describe('themes', () => {
  after(() => setUserSettings({ 'workbench.colorTheme': undefined }));

  for (const { theme, bodyClass, shot } of THEMES) {
    test(`in ${theme} the chat and an approval card take the theme's colours and stay legible`, async () => {
      setUserSettings({ 'workbench.colorTheme': theme });
      const workbench = await openWorkbench();
      try {
        await workbench.openChat();
        await resetModel();
        await startNewTask(workbench);
        await scriptModel([
          { toolCalls: [{ name: 'run_command', arguments: { command: 'touch themed.txt' } }] },
          { reply: 'Not run.' },
        ]);
        await workbench.sendMessage('Create a marker file');
        const card = pendingApproval(workbench);
        await card.waitFor({ timeout: 20_000 });

        const body = workbench.chatFrame().locator('body');
        assert.match((await body.getAttribute('class')) ?? '', new RegExp(`\\b${bodyClass}\\b`));
        const colours = await workbench
          .chatFrame()
          .locator('.approval-card .approval-title')
          .first()
          .evaluate((element) => {
            // the colour actually behind the text: the nearest ancestor that paints a background
            let painted: Element | null = element;
            while (painted && /rgba\(.*,\s*0\)|transparent/.test(getComputedStyle(painted).backgroundColor))
              painted = painted.parentElement;
            return {
              background: painted ? getComputedStyle(painted).backgroundColor : 'rgb(255, 255, 255)',
              text: getComputedStyle(element).color,
            };
          });
        assert.ok(contrast(colours.text, colours.background) >= 4.5, `text ${colours.text} on ${colours.background}`);
        const approve = cardButton(card, 'Approve');
        const button = await approve.evaluate((element) => {
          const style = getComputedStyle(element);
          return { background: style.backgroundColor, text: style.color };
        });
        assert.ok(contrast(button.text, button.background) >= 3, `Approve: ${button.text} on ${button.background}`);
        await workbench.screenshot(shot);

        await cardButton(card, 'Reject').click();
        await waitIdle(workbench);
      } finally {
        await workbench.close();
      }
    });
  }
});
