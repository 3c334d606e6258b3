// Reviewing a proposal in the real workbench, in light (a narrow window), dark and high-contrast themes: the
// preview wraps a long line exactly when the user's `diffEditor.wordWrap` (or, inherited, `editor.wordWrap`) asks;
// Reject on one change's CodeLens puts its lines back, the card then counts what will land and says it was
// edited, and Approve writes exactly that.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import type { Locator } from 'playwright-core';
import { freshWorkspace, openWorkbench, resetModel, scriptModel, setUserSettings, type Workbench } from './harness';
import {
  cardButton,
  eventually,
  pendingApproval,
  sleep,
  startNewTask,
  textOf,
  transcript,
  waitIdle,
} from './chatSteps';

const UNSET_WRAP: Record<string, unknown> = { 'diffEditor.wordWrap': undefined, 'editor.wordWrap': undefined };

/** Each theme also runs one way of asking for word wrap: the preview must do what the settings say. */
const THEMES = [
  {
    theme: 'Default Light Modern',
    shot: 'light-narrow',
    viewport: { width: 1000, height: 760 },
    wrap: { 'diffEditor.wordWrap': 'on' },
    wraps: true,
  },
  {
    theme: 'Default Dark Modern',
    shot: 'dark',
    viewport: undefined,
    wrap: { 'diffEditor.wordWrap': 'off' },
    wraps: false,
  },
  {
    theme: 'Default High Contrast',
    shot: 'high-contrast',
    viewport: undefined,
    // The default `inherit` follows editor.wordWrap.
    wrap: { 'diffEditor.wordWrap': undefined, 'editor.wordWrap': 'on' },
    wraps: true,
  },
] as const;

const LONG = `long: ${'the quick brown fox jumps over the lazy dog '.repeat(12).trim()}`;
const BEFORE = ['one', 'two', LONG, 'four', 'five', 'six'].join('\n') + '\n';
const PROPOSED = ['ONE', 'two', LONG, 'four', 'five', 'SIX'].join('\n') + '\n';
/** After rejecting the first change: only the second lands. */
const LANDS = ['one', 'two', LONG, 'four', 'five', 'SIX'].join('\n') + '\n';
/** Lines of the proposal as the editor counts them (the text ends with a line break). */
const MODEL_LINES = 7;

describe('reviewing a proposal in the diff preview', () => {
  after(() =>
    setUserSettings({
      'workbench.colorTheme': undefined,
      'diffEditor.wordWrap': undefined,
      'editor.wordWrap': undefined,
    }),
  );

  for (const { theme, shot, viewport, wrap, wraps } of THEMES) {
    const how = Object.entries(wrap)
      .map(([key, value]) => `${key} ${value ?? 'unset'}`)
      .join(', ');
    const title = `in ${theme}, ${how}: the preview ${wraps ? 'wraps' : 'does not wrap'}; one change of two is counted`;
    test(title, async () => {
      setUserSettings({ 'workbench.colorTheme': theme, ...UNSET_WRAP, ...wrap });
      const workspace = freshWorkspace(`proposal-${shot}`);
      const target = path.join(workspace, 'notes.txt');
      writeFileSync(target, BEFORE);
      const workbench = await openWorkbench({ workspace, ...(viewport === undefined ? {} : { viewport }) });
      try {
        await scenarioBody(workbench, target, shot, wraps);
      } catch (error) {
        await workbench.screenshot(`proposal-${shot}-failure`).catch(() => undefined);
        throw error;
      } finally {
        await workbench.close();
      }
    });
  }
});

async function scenarioBody(workbench: Workbench, target: string, shot: string, wraps: boolean): Promise<void> {
  await workbench.openChat();
  await resetModel();
  await startNewTask(workbench);
  await scriptModel([
    { toolCalls: [{ id: 'w1', name: 'write_file', arguments: { path: 'notes.txt', content: PROPOSED } }] },
    { reply: 'Updated the notes.' },
  ]);
  await workbench.sendMessage('Capitalise the first and last line of notes.txt');
  const card = pendingApproval(workbench);
  await card.waitFor({ timeout: 30_000 });
  assert.equal(await textOf(card.locator('.approval-title')), 'Edit notes.txt (+2 −2)');

  // The preview honours the user's word wrap: the long line takes several visual lines, or exactly one.
  const modified = workbench.page.locator('.monaco-diff-editor:visible .editor.modified').first();
  await modified.waitFor({ timeout: 20_000 });
  const visualLines = () => modified.locator('.view-lines .view-line').count();
  await eventually('every line of the proposal rendered', async () => (await visualLines()) >= MODEL_LINES, 15_000);
  if (wraps) await eventually('the long line to wrap', async () => (await visualLines()) > MODEL_LINES + 1, 15_000);
  else {
    await sleep(1_000);
    assert.equal(await visualLines(), MODEL_LINES, 'one visual line per line: no wrap');
  }
  await workbench.screenshot(`proposal-${shot}-${wraps ? 'wrapped' : 'not-wrapped'}`);

  // Reject the first change on its CodeLens: the card counts what will land now.
  const lens = (title: RegExp): Locator => modified.locator('.codelens-decoration a', { hasText: title });
  await eventually('the Accept/Reject lenses', async () => (await lens(/Reject/).count()) === 2, 20_000);
  assert.equal(await lens(/Accept change \d of 2/).count(), 2);
  await lens(/Reject/)
    .first()
    .click();
  await eventually('the card to count one change', async () =>
    (await textOf(card.locator('.approval-title'))) === 'Edit notes.txt (+1 −1)' ? true : undefined,
  );
  const badge = card.locator('.badge-reviewed');
  assert.match(await textOf(badge), /edited/);
  assert.equal(await badge.getAttribute('title'), 'Edited in the preview: Warden proposed +2 −2');
  await eventually(
    'one change left to review',
    async () => (await lens(/Reject/).count()) === 1 && (await lens(/Accept change 1 of 1/).count()) === 1,
    15_000,
  );
  await sleep(300);
  await workbench.screenshot(`proposal-${shot}-partially-accepted`);

  await cardButton(card, 'Approve').click();
  await waitIdle(workbench);
  assert.equal(readFileSync(target, 'utf8'), LANDS, 'what landed is what the card counted');
  const answered = transcript(workbench).locator('.approval-card.resolved').last();
  assert.match(await textOf(answered), /You approved·Edit notes\.txt \(\+1 −1, as you edited it\)/);
  await workbench.screenshot(`proposal-${shot}-answered`);
}
