// MCP in a real workbench, in dark and light themes: a user stdio server (the fixture) and one that cannot
// start; the header shows their status, the model's MCP call shows a card with the server, the tool, its
// description and the arguments, Approve runs it and the result reaches the transcript and the model. A
// server the repository defines waits in a panel with its exact command line until approved.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import type { Locator } from 'playwright-core';
import { freshWorkspace, openWorkbench, resetModel, scriptModel, setModelFallback, setUserSettings } from './harness';
import {
  cardButton,
  eventually,
  items,
  pendingApproval,
  scenario,
  startNewTask,
  textOf,
  toolMessages,
  transcript,
  waitForChatRequests,
  waitIdle,
} from './chatSteps';

const repoRoot = path.resolve(__dirname, '../..');
const fixtureCli = path.join(repoRoot, 'test/fixtures/mcpServerCli.ts');
const fixtureServer = (env: Record<string, string> = {}) => ({
  type: 'stdio',
  command: process.execPath,
  args: ['--import', 'tsx', fixtureCli, 'stdio'],
  cwd: repoRoot,
  env,
});

/** The header's words (a narrow sidebar shows only the icon and the count; the name carries the words). */
async function headline(header: Locator): Promise<string> {
  if ((await header.count()) === 0) return '';
  return ((await header.getAttribute('aria-label')) ?? '').replace(/\. List MCP servers$/, '');
}

const THEMES = [
  { theme: 'Default Dark Modern', shot: 'dark' },
  { theme: 'Default Light Modern', shot: 'light' },
] as const;

describe('MCP tools in the chat', () => {
  after(() => setUserSettings({ 'workbench.colorTheme': undefined, 'warden.mcp.servers': undefined }));

  for (const { theme, shot } of THEMES) {
    test(`in ${theme}: the card for an MCP call, Approve, and the result in the transcript`, async () => {
      // Set before the workbench opens: a running code-server does not pick up later edits of the file.
      setUserSettings({
        'workbench.colorTheme': theme,
        'warden.mcp.servers': {
          fixture: fixtureServer(),
          broken: { type: 'stdio', command: 'warden-e2e-no-such-program', args: [] },
        },
      });
      const workbench = await openWorkbench({ workspace: freshWorkspace(`mcp-${shot}`) });
      try {
        await scenario(workbench, `mcp-${shot}`, async () => {
          await workbench.openChat();
          await resetModel();
          await startNewTask(workbench);
          const header = workbench.chatFrame().locator('.header .mcp-status');
          await eventually('the MCP status in the header', async () => /2 MCP servers/.test(await headline(header)));

          await scriptModel([
            {
              text: 'Let me ask the fixture server.',
              toolCalls: [{ id: 'echo_1', name: 'mcp__fixture__echo', arguments: { text: 'hello from the browser' } }],
            },
            { reply: 'The fixture server answered: **echo: hello from the browser**.' },
          ]);
          await setModelFallback({ reply: '(unexpected extra request)' });
          await workbench.sendMessage('Ask the fixture server to echo a greeting');

          const card = pendingApproval(workbench);
          await card.waitFor({ timeout: 60_000 });
          assert.equal(await textOf(card.locator('.approval-title')), 'Call this MCP tool?');
          assert.equal(await textOf(card.locator('.mcp-server')), 'fixture');
          assert.equal(await textOf(card.locator('.mcp-tool')), 'echo');
          assert.equal(await textOf(card.locator('.mcp-description')), 'Echoes the text back.');
          assert.equal(await textOf(card.locator('.mcp-arguments')), '{\n  "text": "hello from the browser"\n}');
          assert.match(await textOf(card.locator('.always-allow')), /Always allow this tool fixture__echo/);
          const [first] = await waitForChatRequests(1);
          const offered = first.body?.tools?.map((t) => t.function.name) ?? [];
          assert.ok(offered.includes('mcp__fixture__echo'), 'the model was offered the fixture’s tools');
          // The server that cannot start shows in the header; the turn went on without it.
          await eventually('the failed server in the header', async () =>
            /^2 MCP servers · 1 failed$/.test(await headline(header)),
          );
          assert.match((await header.getAttribute('title')) ?? '', /broken — failed to start/);
          await workbench.screenshot(`mcp-card-${shot}`);

          await cardButton(card, 'Approve').click();
          await waitIdle(workbench, 60_000);
          const requests = await waitForChatRequests(2);
          assert.equal(toolMessages(requests[1], 'echo_1').join('\n'), 'echo: hello from the browser');
          const step = items(workbench, 'tool').last();
          assert.match(await textOf(step), /fixture › echo/);
          assert.match((await step.getAttribute('class')) ?? '', /status-ok/);
          assert.match(await textOf(items(workbench, 'assistant').last()), /echo: hello from the browser/);
          assert.match(await textOf(transcript(workbench).locator('.approval-outcome')), /You approved/);
          await workbench.screenshot(`mcp-result-${shot}`);
        });
      } finally {
        await workbench.close();
      }
    });
  }

  test('a server the repository defines waits in the chat with its command line until approved', async () => {
    setUserSettings({ 'workbench.colorTheme': undefined, 'warden.mcp.servers': undefined });
    const workspace = freshWorkspace('mcp-repository');
    // Inside the workspace: a stdio server runs in the command sandbox, where only the workspace is writable.
    const mark = path.join(workspace, `.mcp-repository-mark-${process.pid}`);
    rmSync(mark, { force: true });
    mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
    writeFileSync(
      path.join(workspace, '.vscode', 'mcp.json'),
      JSON.stringify({ servers: { repo: fixtureServer({ FIXTURE_MARK_FILE: mark }) } }, null, 2),
    );
    const workbench = await openWorkbench({ workspace });
    try {
      await scenario(workbench, 'mcp-repository', async () => {
        await workbench.openChat();
        const panel = workbench.chatFrame().locator('.mcp-panel');
        const group = panel.getByRole('group', { name: 'MCP server repo awaiting approval' });
        await group.waitFor({ timeout: 30_000 });
        assert.match(await textOf(group.locator('.mcp-target')), /--import tsx .*mcpServerCli\.ts stdio$/);
        assert.match(await textOf(group), /Environment: FIXTURE_MARK_FILE=/);
        const header = workbench.chatFrame().locator('.header .mcp-status');
        assert.equal(await headline(header), '1 MCP server · 1 awaiting approval');
        assert.equal(existsSync(mark), false, 'listed, never started');
        await workbench.screenshot('mcp-repository-awaiting');

        await group.getByRole('button', { name: 'Approve Server' }).click();
        await eventually('the panel to close', async () => !(await panel.isVisible()));
        await eventually('the header without the approval', async () => (await headline(header)) === '1 MCP server');

        await resetModel();
        await scriptModel([{ reply: 'I can see the repository server now.' }]);
        await workbench.sendMessage('Which tools do you have?');
        await waitIdle(workbench, 60_000);
        const [request] = await waitForChatRequests(1);
        assert.ok((request.body?.tools ?? []).some((t) => t.function.name === 'mcp__repo__echo'));
        assert.equal(existsSync(mark), true, 'the approved server started on the turn that needed tools');
        await workbench.screenshot('mcp-repository-approved');
      });
    } finally {
      await workbench.close();
      rmSync(mark, { force: true });
    }
  });
});
