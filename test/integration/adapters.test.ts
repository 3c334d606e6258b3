// The VS Code adapters in the real extension host: diff preview, undoable edits, the guarded terminal,
// listing and search, secrets, and settings a repository cannot use to widen trust.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WardenApi } from '../../src/extension';
import { PROTOCOL_VERSION } from '../../src/shared/protocol';
import { waitFor } from './scriptedModel';
import { warden } from './wardenApi';

const encoder = new TextEncoder();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('VS Code adapters', function () {
  let api: WardenApi;
  let root: string;
  /** A scratch folder inside the workspace, so these tests never touch the sample files others use. */
  let scratch: string;

  const file = (name: string) => path.join(scratch, name);
  const uriOf = (target: string) => vscode.Uri.file(target);
  const writeDisk = (target: string, text: string) =>
    vscode.workspace.fs.writeFile(uriOf(target), encoder.encode(text));
  const readDisk = async (target: string) =>
    new TextDecoder().decode(await vscode.workspace.fs.readFile(uriOf(target)));
  const exists = async (target: string) =>
    vscode.workspace.fs.stat(uriOf(target)).then(
      () => true,
      () => false,
    );

  before(async () => {
    api = await warden();
    const folder = api.workspace.folders()[0];
    assert.ok(folder, 'a workspace folder is open');
    root = folder.path;
    scratch = path.join(root, 'warden-it');
    await vscode.workspace.fs.createDirectory(uriOf(scratch));
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    await vscode.workspace.fs
      .delete(uriOf(scratch), { recursive: true, useTrash: false })
      .then(undefined, () => undefined);
  });

  describe('diff preview', () => {
    it("opens the proposal beside the user's editor and leaves that editor active", async () => {
      const mine = file('mine.ts');
      const target = file('target.ts');
      await writeDisk(mine, 'export const mine = 1;\n');
      await writeDisk(target, 'export const a = 1;\n');
      const userEditor = await vscode.window.showTextDocument(uriOf(mine));
      const after = 'export const a = 2;\n';

      await api.diffPreview.show({ path: target, before: 'export const a = 1;\n', after }, { added: 1, removed: 1 });

      const proposed = api.diffPreview.proposedUri(target);
      assert.ok(proposed, 'a proposal is registered');
      await waitFor(
        () =>
          vscode.window.tabGroups.all
            .flatMap((group) => group.tabs)
            .some(
              (tab) =>
                tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === proposed.toString(),
            ),
        'the diff tab',
      );
      assert.equal(
        vscode.window.activeTextEditor?.document.uri.toString(),
        userEditor.document.uri.toString(),
        "the user's editor is still the active one",
      );
      assert.equal((await vscode.workspace.openTextDocument(proposed)).getText(), after);
    });

    it('shows a new file against an empty document and closes the diff tab on close()', async () => {
      const target = file('brand-new.ts');
      await api.diffPreview.show({ path: target, before: undefined, after: 'export {};\n' }, { added: 1, removed: 0 });
      const proposed = api.diffPreview.proposedUri(target);
      assert.ok(proposed);
      const diffTab = () =>
        vscode.window.tabGroups.all
          .flatMap((group) => group.tabs)
          .find(
            (tab) =>
              tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === proposed.toString(),
          );
      const tab = await waitFor(diffTab, 'the diff tab');
      const original = (tab.input as vscode.TabInputTextDiff).original;
      assert.equal((await vscode.workspace.openTextDocument(original)).getText(), '');
      assert.equal(await exists(target), false, 'previewing writes nothing');

      await api.diffPreview.close(target);
      await waitFor(() => diffTab() === undefined, 'the diff tab to close');
      assert.equal(api.diffPreview.proposedUri(target), undefined);
    });
  });

  describe('applyChange', () => {
    it('compares against the unsaved buffer of a dirty editor, applies the edit and saves', async () => {
      const target = file('dirty.ts');
      await writeDisk(target, 'const saved = 1;\n');
      const editor = await vscode.window.showTextDocument(uriOf(target));
      await editor.edit((builder) => builder.insert(new vscode.Position(1, 0), 'const unsaved = 2;\n'));
      assert.equal(editor.document.isDirty, true);

      const snapshot = await api.workspace.readText(target);
      assert.deepEqual(snapshot, { text: 'const saved = 1;\nconst unsaved = 2;\n', fromDirtyBuffer: true });
      const after = `${snapshot.text}const fromWarden = 3;\n`;
      const result = await api.workspace.applyChange({ path: target, before: snapshot.text, after });

      assert.deepEqual(result, { ok: true });
      assert.equal(editor.document.isDirty, false);
      assert.equal(await readDisk(target), after);
    });

    it('saves while an auto save runs its save participants (VS Code refuses a second save then)', async () => {
      const target = file('autosaved.txt');
      await writeDisk(target, 'const saved = 1;\n');
      const files = vscode.workspace.getConfiguration('files');
      await files.update('autoSave', 'afterDelay', vscode.ConfigurationTarget.Global);
      await files.update('autoSaveDelay', 100, vscode.ConfigurationTarget.Global);
      let applied: Promise<Awaited<ReturnType<WardenApi['workspace']['applyChange']>>> | undefined;
      // Warden's change arrives while the auto save is in its participants, held there until the change is
      // applied or the host gives up on the participant (after 1.5 s); the auto save then writes the buffer.
      const participant = vscode.workspace.onWillSaveTextDocument((event) => {
        if (event.document.uri.fsPath !== target || event.reason !== vscode.TextDocumentSaveReason.AfterDelay) return;
        if (applied !== undefined) return;
        const before = event.document.getText();
        applied = api.workspace.applyChange({ path: target, before, after: `${before}const fromWarden = 3;\n` });
        event.waitUntil(applied);
      });
      try {
        const editor = await vscode.window.showTextDocument(uriOf(target));
        await editor.edit((builder) => builder.insert(new vscode.Position(1, 0), 'const unsaved = 2;\n'));
        const result = await waitFor(() => applied, 'an auto save');
        assert.deepEqual(result, { ok: true });
        assert.equal(editor.document.isDirty, false);
        assert.equal(await readDisk(target), 'const saved = 1;\nconst unsaved = 2;\nconst fromWarden = 3;\n');
      } finally {
        participant.dispose();
        await files.update('autoSave', undefined, vscode.ConfigurationTarget.Global);
        await files.update('autoSaveDelay', undefined, vscode.ConfigurationTarget.Global);
      }
    });

    it('refuses a change to a file that changed after the proposal and leaves the file alone', async () => {
      const target = file('stale.txt');
      await writeDisk(target, 'one\n');
      const before = (await api.workspace.readText(target))?.text;
      assert.equal(before, 'one\n');
      await writeDisk(target, 'two\n');

      const result = await api.workspace.applyChange({ path: target, before: 'one\n', after: 'three\n' });

      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.reason, 'stale');
      assert.equal(!result.ok && result.reason === 'stale' ? result.current : undefined, 'two\n');
      assert.equal(await readDisk(target), 'two\n');
    });

    it('refuses to create a file that appeared since the proposal', async () => {
      const target = file('appeared.txt');
      await writeDisk(target, 'someone else\n');
      const result = await api.workspace.applyChange({ path: target, before: undefined, after: 'mine\n' });
      assert.equal(!result.ok && result.reason, 'stale');
      assert.equal(await readDisk(target), 'someone else\n');
    });

    it('creates a new file, folders included', async () => {
      const target = file(path.join('gen', 'created.txt'));
      const result = await api.workspace.applyChange({ path: target, before: undefined, after: 'created by warden\n' });
      assert.deepEqual(result, { ok: true });
      assert.equal(await readDisk(target), 'created by warden\n');
    });

    it("is undone by the editor's Undo", async () => {
      const target = file('undo.ts');
      const before = 'let value = 1;\n';
      await writeDisk(target, before);
      const result = await api.workspace.applyChange({ path: target, before, after: 'let value = 2;\n' });
      assert.deepEqual(result, { ok: true });

      const editor = await vscode.window.showTextDocument(uriOf(target), { preserveFocus: false });
      assert.equal(editor.document.getText(), 'let value = 2;\n');
      await vscode.commands.executeCommand('undo');
      await waitFor(() => editor.document.getText() === before, 'undo to restore the old text');
    });

    it('keeps a byte-order mark the file had', async () => {
      const target = file('bom.txt');
      await vscode.workspace.fs.writeFile(
        uriOf(target),
        new Uint8Array([0xef, 0xbb, 0xbf, ...encoder.encode('old\n')]),
      );
      const snapshot = await api.workspace.readText(target);
      assert.equal(snapshot?.text, 'old\n', 'the BOM is not part of the text, as in a TextDocument');
      assert.deepEqual(await api.workspace.applyChange({ path: target, before: 'old\n', after: 'new\n' }), {
        ok: true,
      });
      const bytes = await vscode.workspace.fs.readFile(uriOf(target));
      assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
      assert.equal(new TextDecoder().decode(bytes), 'new\n');
    });
  });

  describe('reading, listing and search', () => {
    it('refuses to read a binary file as text', async () => {
      const target = file('image.bin');
      await vscode.workspace.fs.writeFile(uriOf(target), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]));
      await assert.rejects(api.workspace.readText(target), /binary/);
    });

    it('lists files without what .gitignore excludes', async () => {
      await writeDisk(path.join(root, 'dist', 'bundle.js'), 'ignored();\n');
      const listing = await api.workspace.listFiles(root, {
        recursive: true,
        limit: 1000,
        signal: new AbortController().signal,
      });
      const relative = listing.paths.map((p) => path.relative(root, p).split(path.sep).join('/'));
      assert.ok(relative.includes('src/cart.ts'), relative.join(', '));
      assert.ok(!relative.includes('dist/bundle.js'), 'dist/ is git-ignored');
      assert.ok(!relative.includes('.env'), '.env is git-ignored');
    });

    it('lists one level with sub-folders marked', async () => {
      const listing = await api.workspace.listFiles(root, {
        recursive: false,
        limit: 1000,
        signal: new AbortController().signal,
      });
      assert.ok(listing.paths.includes(path.join(root, 'src') + path.sep));
      assert.ok(listing.paths.includes(path.join(root, 'package.json')));
      assert.ok(!listing.paths.includes(path.join(root, 'src', 'cart.ts')));
    });

    it('finds text in the workspace with line numbers, and stops at the limit', async () => {
      const found = await api.workspace.search({
        query: 'cartTotal',
        isRegex: false,
        limit: 50,
        signal: new AbortController().signal,
      });
      const hit = found.hits.find((h) => h.path === path.join(root, 'src', 'cart.ts'));
      assert.ok(hit, JSON.stringify(found.hits));
      assert.ok(hit.text.includes('export function cartTotal'));
      assert.equal(hit.line, 7);

      const limited = await api.workspace.search({
        query: 'e',
        isRegex: false,
        limit: 2,
        signal: new AbortController().signal,
      });
      assert.equal(limited.hits.length, 2);
      assert.equal(limited.truncated, true);
    });

    it("returns hits in rg's path order, each file's by line, below the limit and when cut at it", async () => {
      const marker = 'ORDER_MARKER_7f3';
      const files = ['order/b.txt', 'order/a.txt', 'order/a-b/x.txt', 'order/a/x.txt', 'order/B.txt'];
      for (const name of files) await writeDisk(file(name), `${marker} one\nother\n${marker} two\n`);
      // By path component, each by its bytes: 'B' < 'a'; 'a' < 'a-b' (a prefix); 'a-b' < 'a.txt' ('-' < '.').
      const expected = ['order/B.txt', 'order/a/x.txt', 'order/a-b/x.txt', 'order/a.txt', 'order/b.txt'].flatMap(
        (name) => [`${name}:1`, `${name}:3`],
      );
      const shown = (hits: readonly { path: string; line: number }[]) =>
        hits.map((h) => `${path.relative(scratch, h.path).split(path.sep).join('/')}:${h.line}`);
      for (const limit of [50, 10, 3, 1]) {
        const found = await api.workspace.search({
          query: marker,
          isRegex: false,
          limit,
          signal: new AbortController().signal,
        });
        assert.deepEqual(shown(found.hits), expected.slice(0, limit), `limit ${limit}`);
        assert.equal(found.truncated, limit < expected.length, `limit ${limit}`);
      }
    });

    it('treats a query starting with a dash as text, not as an option', async () => {
      await writeDisk(file('dash.txt'), 'a line with --files in it\n');
      const found = await api.workspace.search({
        query: '--files',
        isRegex: false,
        limit: 10,
        signal: new AbortController().signal,
      });
      assert.deepEqual(
        found.hits.map((h) => path.basename(h.path)),
        ['dash.txt'],
      );
    });
  });

  describe('terminal', () => {
    const run = (
      command: string,
      options: { timeoutMs?: number; maxOutputChars?: number; signal?: AbortSignal } = {},
    ) =>
      api.terminal.run({
        command,
        cwd: root,
        timeoutMs: options.timeoutMs ?? 20_000,
        maxOutputChars: options.maxOutputChars ?? 20_000,
        signal: options.signal ?? new AbortController().signal,
        // The plain terminal; the sandboxed path has its own suite (sandbox.test.ts).
        outsideSandbox: true,
      });

    it('captures stdout and stderr and the exit code', async () => {
      const result = await run('echo out; echo err >&2; exit 3');
      assert.equal(result.exitCode, 3);
      assert.match(result.output, /out/);
      assert.match(result.output, /err/);
      assert.equal(result.timedOut, false);
      assert.equal(result.cancelled, false);
    });

    it('runs in the requested folder with stdin closed', async () => {
      const result = await run('pwd; cat; echo done');
      assert.equal(result.exitCode, 0);
      assert.equal(result.output.split('\n')[0], root);
      assert.match(result.output, /done/);
    });

    // The child outlasts the test's time limit many times over: `run` returning at all is the timeout's doing.
    it('kills the whole process tree on timeout', async () => {
      const result = await run('sleep 3600 & echo "child=$!"; wait', { timeoutMs: 1000 });
      assert.equal(result.timedOut, true);
      assert.equal(result.exitCode, null);
      const child = Number(/child=(\d+)/.exec(result.output)?.[1]);
      assert.ok(child > 0, result.output);
      await waitFor(() => !isAlive(child), `the background child ${child} to be gone`, 5000);
    });

    it('ends what a command left running in the background once the command is done', async () => {
      const result = await run('sleep 30 & echo "child=$!"');
      assert.equal(result.exitCode, 0);
      assert.ok(result.durationMs < 5000);
      const child = Number(/child=(\d+)/.exec(result.output)?.[1]);
      assert.ok(child > 0, result.output);
      await waitFor(() => !isAlive(child), `the background child ${child} to be gone`, 5000);
    });

    it('stops a running command when the signal fires', async () => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 300);
      const result = await run('sleep 30', { signal: controller.signal });
      assert.equal(result.cancelled, true);
      assert.ok(result.durationMs < 5000);
    });

    it('gives the command only allowlisted environment variables', async () => {
      const saved = process.env.OPENAI_API_KEY;
      process.env.OPENAI_API_KEY = 'sk-integration-secret-0123456789';
      try {
        const result = await run('env');
        assert.equal(result.exitCode, 0);
        assert.ok(!result.output.includes('OPENAI_API_KEY'), 'no API key');
        assert.ok(!result.output.includes('sk-integration-secret'), 'no API key value');
        assert.ok(!/^VSCODE_/m.test(result.output), 'no VSCODE_* handles');
        assert.ok(!/^(NODE_OPTIONS|ELECTRON_RUN_AS_NODE)=/m.test(result.output), 'no node/electron switches');
        assert.match(result.output, /^PATH=/m);
        assert.match(result.output, /^TERM=xterm-256color$/m);
      } finally {
        if (saved === undefined) delete process.env.OPENAI_API_KEY;
        else process.env.OPENAI_API_KEY = saved;
      }
    });

    it('caps long output, keeping its beginning and end', async () => {
      const result = await run('seq 1 100000', { maxOutputChars: 1000 });
      assert.equal(result.truncated, true);
      assert.ok(result.output.length < 1200, `output is ${result.output.length} characters`);
      assert.ok(result.output.startsWith('1\n2\n3\n'));
      assert.ok(result.output.trimEnd().endsWith('100000'));
      assert.match(result.output, /characters of output omitted/);
    });
  });

  describe('secrets', () => {
    let savedEnvKey: string | undefined;
    before(() => {
      savedEnvKey = process.env.OPENAI_API_KEY;
      delete process.env.OPENAI_API_KEY;
    });
    after(async () => {
      await api.apiKeys.clear();
      if (savedEnvKey !== undefined) process.env.OPENAI_API_KEY = savedEnvKey;
    });

    it('stores, reads and clears the key in the secret storage', async () => {
      await api.apiKeys.set('  sk-integration-stored-key  ');
      assert.equal(await api.apiKeys.get(), 'sk-integration-stored-key');
      assert.equal(await api.apiKeys.hasStoredKey(), true);
      await api.apiKeys.clear();
      assert.equal(await api.apiKeys.get(), undefined);
    });

    it('falls back to OPENAI_API_KEY only when nothing is stored', async () => {
      process.env.OPENAI_API_KEY = 'sk-from-environment';
      try {
        assert.equal(await api.apiKeys.get(), 'sk-from-environment');
        await api.apiKeys.set('sk-stored-wins');
        assert.equal(await api.apiKeys.get(), 'sk-stored-wins');
      } finally {
        delete process.env.OPENAI_API_KEY;
        await api.apiKeys.clear();
      }
    });

    it('refuses an empty key or one with spaces, without storing anything', async () => {
      await assert.rejects(api.apiKeys.set('   '));
      await assert.rejects(api.apiKeys.set('sk-two words'));
      assert.equal(await api.apiKeys.hasStoredKey(), false);
    });
  });

  describe('settings', () => {
    const config = () => vscode.workspace.getConfiguration('warden');
    const nextPolicyChange = () =>
      new Promise<void>((resolve) => {
        const listener = api.policyHost.onDidChange(() => {
          listener.dispose();
          resolve();
        });
      });

    before(async () => {
      await api.policyHost.ensureGrammar();
      assert.equal(api.policyHost.grammarLoaded, true, 'the bash grammar loads');
    });

    after(async () => {
      await config().update('commands.allow', undefined, vscode.ConfigurationTarget.Workspace);
      await config().update('commands.allow', undefined, vscode.ConfigurationTarget.Global);
    });

    it('honours a command allow entry from user settings', async () => {
      const changed = nextPolicyChange();
      await config().update('commands.allow', ['npm test'], vscode.ConfigurationTarget.Global);
      await changed;
      assert.equal(api.policy().decideCommand('npm test', root).decision, 'allow');
    });

    it('ignores a command allow entry from workspace settings and reports it', async () => {
      let changed = nextPolicyChange();
      await config().update('commands.allow', undefined, vscode.ConfigurationTarget.Global);
      await changed;
      changed = nextPolicyChange();
      await config().update('commands.allow', ['npm test'], vscode.ConfigurationTarget.Workspace);
      await changed;

      const policy = api.policy();
      assert.notEqual(policy.decideCommand('npm test', root).decision, 'allow');
      assert.ok(
        policy.problems.some((p) => p.key.replace(/^warden\./, '') === 'commands.allow' && p.scope === 'workspace'),
        JSON.stringify(policy.problems),
      );
      assert.ok(
        api.session.state().warnings.some((w) => w.includes('warden.commands.allow')),
        'the chat shows the warning',
      );
    });

    it('refuses a write through a dangling symlink that points outside the workspace', async () => {
      const fs = await import('node:fs');
      const os = await import('node:os');
      const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-outside-'));
      const target = path.join(outside, 'autostart.desktop'); // does not exist yet: realpath alone cannot see it
      const link = path.join(scratch, 'notes.md');
      fs.symlinkSync(target, link);
      try {
        const decision = api.policy().decidePath('write', link);
        assert.equal(decision.decision, 'deny', JSON.stringify(decision));
        assert.equal(fs.existsSync(target), false);
      } finally {
        fs.rmSync(link, { force: true });
        fs.rmSync(outside, { recursive: true, force: true });
      }
    });

    it('keeps denying the built-in secrets whatever the settings', () => {
      assert.equal(api.policy().decidePath('read', path.join(root, '.env')).decision, 'deny');
    });

    it('judges `grep -r` by the denied files on disk under its folder, as they come and go', async () => {
      const changed = nextPolicyChange();
      await config().update('commands.allow', ['grep'], vscode.ConfigurationTarget.Global);
      await changed;
      await api.policyHost.prepare();
      const whole = api.policy().decideCommand('grep -r KEY .', root);
      assert.deepEqual([whole.decision, whole.rule], ['deny', '.env'], whole.reason);

      const folder = file('keys');
      await vscode.workspace.fs.createDirectory(uriOf(folder));
      const grepFolder = () => api.policy().decideCommand(`grep -r KEY ${folder}`, root);
      assert.equal(grepFolder().decision, 'allow', grepFolder().reason);
      const key = path.join(folder, 'server.pem');
      await writeDisk(key, '-----BEGIN PRIVATE KEY-----\n');
      const denied = await waitFor(
        () => grepFolder().decision === 'deny' && grepFolder(),
        'the new key file to be seen by the file watcher',
      );
      assert.match(denied.reason, /server\.pem/);
      await vscode.workspace.fs.delete(uriOf(key));
      await waitFor(() => grepFolder().decision === 'allow', 'the deleted key file to be forgotten');
    });

    it('a hard link to .env made with the window open is refused by path at once, by `grep -r` once seen', async () => {
      const fs = await import('node:fs');
      const changed = nextPolicyChange();
      await config().update('commands.allow', ['grep', 'cat'], vscode.ConfigurationTarget.Global);
      await changed;
      await api.policyHost.prepare();
      const folder = file('linked-notes');
      await vscode.workspace.fs.createDirectory(uriOf(folder));
      const grepFolder = () => api.policy().decideCommand(`grep -r KEY ${folder}`, root);
      assert.equal(grepFolder().decision, 'allow', grepFolder().reason);
      const link = path.join(folder, 'notes.txt');
      try {
        fs.linkSync(path.join(root, '.env'), link);
        // The path decision stats the target itself: no watcher needed.
        const read = api.policy().decidePath('read', link);
        assert.deepEqual([read.decision, read.rule], ['deny', 'hard-link'], read.reason);
        assert.equal(api.policy().decideCommand(`cat ${link}`, root).decision, 'deny');
        const denied = await waitFor(
          () => grepFolder().decision === 'deny' && grepFolder(),
          'the new hard link to be seen by the file watcher',
        );
        assert.match(denied.reason, /notes\.txt/);
      } finally {
        await vscode.workspace.fs.delete(uriOf(folder), { recursive: true });
      }
      await waitFor(() => grepFolder().decision === 'allow', 'the deleted link to be forgotten');
    });

    it('judges `git grep` by the denied files git tracks, following `git add` and `git rm --cached`', async () => {
      const { execFileSync } = await import('node:child_process');
      const fs = await import('node:fs');
      const git = (...args: string[]) => execFileSync('git', ['-C', root, ...args], { stdio: 'ignore' });
      const changed = nextPolicyChange();
      await config().update('commands.allow', ['git grep'], vscode.ConfigurationTarget.Global);
      await changed;
      await api.policyHost.prepare();
      const gitGrep = () => api.policy().decideCommand('git grep KEY', root);
      assert.equal(gitGrep().decision, 'allow', `outside a repository: ${gitGrep().reason}`);
      try {
        git('init', '-q');
        git('add', '-f', '.env');
        const denied = await waitFor(
          () => gitGrep().decision === 'deny' && gitGrep(),
          'the staged .env to be seen through the index watcher',
        );
        assert.equal(denied.rule, '.env', denied.reason);
        assert.equal(api.policy().decideCommand('git grep KEY -- src', root).decision, 'allow');
        git('rm', '-q', '--cached', '.env');
        await waitFor(() => gitGrep().decision === 'allow', 'the unstaged .env to be forgotten');
      } finally {
        fs.rmSync(path.join(root, '.git'), { recursive: true, force: true });
      }
    });
  });

  describe('chat view messages', () => {
    it('opens only http, https and mailto links', async () => {
      for (const href of [
        'command:workbench.action.quit',
        'file:///etc/passwd',
        'javascript:alert(1)',
        'vscode://settings',
        'http:no-host',
        'not a uri',
      ]) {
        assert.equal(await api.chatView.openLink(href), false, href);
      }
    });

    it('ignores messages that fail the protocol guard', async () => {
      const view = api.chatView;
      const before = {
        rejected: view.rejectedCount,
        ready: view.readyCount,
        sent: view.postedCount,
        items: api.session.state().items.length,
      };
      await view.receive({ type: 'action', command: 'workbench.action.quit' });
      await view.receive({ type: 'send' });
      await view.receive({ type: 'approve', requestId: '', itemId: 'x' });
      await view.receive('ready');
      await view.receive(null);
      assert.equal(view.rejectedCount, before.rejected + 5, 'each was dropped at the guard');
      assert.equal(view.readyCount, before.ready, 'no page counted as ready');
      assert.equal(view.postedCount, before.sent, 'nothing was sent back to the page');
      assert.equal(api.session.state().items.length, before.items, 'nothing reached the session');
      assert.equal(api.session.busy, false);

      // The same door lets a well-formed message through, so the counts above could have moved.
      const mark = view.postedCount;
      await view.receive({ type: 'ready', version: PROTOCOL_VERSION });
      assert.equal(view.readyCount, before.ready + 1);
      assert.equal(view.rejectedCount, before.rejected + 5);
      // init answers first (the MCP status, the model picker and the editor context may follow it).
      assert.equal(view.messagesSince(mark)[0]?.type, 'init');
    });
  });
});
