// Real commands in the real sandbox (bubblewrap, user namespaces, overlay), run once as this process's user
// (root in CI) and once as an unprivileged user: they take different paths through the kernel. Where the
// sandbox cannot start, each test is skipped with the reason — and fails in CI, where it must run.
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, linkSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, createServer as createNetServer, type AddressInfo, type Server as NetServer } from 'node:net';
import { join } from 'node:path';
import {
  canRun,
  git,
  observe,
  removeTestBase,
  sandboxUnavailable,
  scenarioContext,
  testBase,
  unprivilegedUser,
  type Identity,
  type ScenarioSetup,
} from './sandboxHarness';
import { ODD_FOLDER, type Observation } from './sandboxScenarios';

let server: Server;
let port = 0;
let requests = 0;
/** A host service on a Unix socket in /run (root) — what D-Bus, Docker or VS Code's IPC look like. */
let service: NetServer | undefined;
let serviceSocket: string | undefined;
let serviceConnections = 0;

before(async () => {
  testBase();
  server = createServer((_req, res) => {
    requests++;
    res.end('reached the host server\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  if (process.getuid?.() === 0) {
    serviceSocket = `/run/warden-test-${process.pid}.sock`;
    service = createNetServer((socket) => {
      serviceConnections++;
      socket.end('HTTP/1.0 200 OK\r\n\r\nservice reached\n');
    });
    await new Promise<void>((resolve) => service?.listen(serviceSocket, resolve));
    chmodSync(serviceSocket, 0o666);
  }
});

after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await new Promise<void>((resolve) => (service ? service.close(() => resolve()) : resolve()));
  removeTestBase();
});

const write = (path: string, text: string): void => {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
};

async function run(
  t: TestContext,
  name: string,
  identity: Identity,
  setup?: ScenarioSetup,
): Promise<Observation | undefined> {
  if (!canRun(t, await sandboxUnavailable())) return undefined;
  if (identity.user === undefined && identity.label !== 'self') return undefined;
  const ctx = scenarioContext(name, identity, setup, port);
  return observe(name, identity, { ...ctx, socket: serviceSocket });
}

function identities(): Identity[] {
  return [{ label: 'self' }, { label: 'unprivileged' }];
}

/** Resolves the unprivileged identity lazily: creating the user needs root, and may fail. */
function resolveIdentity(t: TestContext, identity: Identity): Identity | undefined {
  if (identity.label === 'self') return identity;
  const user = unprivilegedUser();
  if (typeof user === 'string') {
    // Not root: this process is the unprivileged case already, which is not a failure anywhere.
    if (process.getuid?.() !== 0) {
      t.skip(user);
      return undefined;
    }
    canRun(t, user);
    return undefined;
  }
  return { label: 'unprivileged', user };
}

for (const base of identities()) {
  const who = base.label === 'self' ? `as this process's user (uid ${process.getuid?.()})` : 'as an unprivileged user';
  describe(`a sandboxed command ${who}`, () => {
    const scenario = (title: string, body: (t: TestContext, identity: Identity) => Promise<void>): void => {
      test(title, async (t) => {
        const identity = resolveIdentity(t, base);
        if (identity !== undefined) await body(t, identity);
      });
    };

    scenario(
      'sed -i changes only its layer: the real file is untouched, the change set holds the edit',
      async (t, id) => {
        const o = await run(t, 'sedInPlace', id, (ctx) => write(join(ctx.workspace, 'greeting.txt'), 'hello world\n'));
        if (!o) return;
        assert.equal(o.startFailure, undefined);
        assert.equal(o.exitCode, 0);
        assert.equal(o.output, 'hello sandbox\n');
        assert.equal(o.realDuringReview, 'hello world\n');
        assert.deepEqual(o.items, [
          {
            relative: 'greeting.txt',
            change: 'modified',
            modeChanged: false,
            after: { kind: 'text', text: 'hello sandbox\n' },
            ownApproval: false,
          },
        ]);
        assert.equal(o.layerBytes, 'hello sandbox\n');
        assert.equal(o.realAfterReject, 'hello world\n');
        assert.deepEqual(o.layers, [], 'the layer is removed once the change set is decided');
      },
    );

    scenario('a workspace folder whose name needs escaping gets its layer like any other', async (t, id) => {
      const o = await run(t, 'oddFolderName', id, (ctx) =>
        write(join(ctx.workspace, ODD_FOLDER, 'greeting.txt'), 'hello world\n'),
      );
      if (!o) return;
      assert.equal(o.startFailure, undefined);
      assert.equal(o.output, 'hello sandbox\n');
      assert.equal(o.realDuringReview, 'hello world\n');
      // The edit came from the layer (the write policy refuses a path with control characters: dropped).
      const changed = [...(o.items as Array<{ relative: string }>), ...(o.dropped as Array<{ relative: string }>)];
      assert.deepEqual(
        changed.map((entry) => entry.relative),
        ['greeting.txt'],
      );
      assert.deepEqual(o.layers, []);
    });

    scenario(
      'a layer that did not mount stops the launch before the command can touch the real folder',
      async (t, id) => {
        const o = await run(t, 'unmountedLayer', id, (ctx) => write(join(ctx.workspace, 'file'), 'real\n'));
        if (!o) return;
        assert.equal(o.real, 'real\n');
        assert.equal(o.status, 1);
        assert.match(String(o.stderr), /a copy-on-write layer did not mount/);
      },
    );

    scenario('denied files and credential stores read as empty, through node, python and cat alike', async (t, id) => {
      const o = await run(t, 'readDenied', id, (ctx) => {
        write(join(ctx.workspace, '.env'), 'SECRET=from-env-file');
        write(join(ctx.workspace, 'config/.env.local'), 'SECRET=from-local');
        write(join(ctx.workspace, 'README.md'), 'visible');
        // A hard link made before the command: another name for `.env` that the denied-file walk lists.
        mkdirSync(join(ctx.workspace, 'docs'), { recursive: true });
        linkSync(join(ctx.workspace, '.env'), join(ctx.workspace, 'docs/notes.txt'));
        write(join(ctx.home, '.ssh/id_ed25519'), 'PRIVATE KEY');
        write(join(ctx.home, '.aws/credentials'), 'aws_secret_access_key=abc');
      });
      if (!o) return;
      assert.equal(o.startFailure, undefined);
      const output = String(o.output);
      for (const secret of ['from-env-file', 'from-local', 'PRIVATE KEY', 'aws_secret']) {
        assert.ok(!output.includes(secret), `${secret} leaked: ${output}`);
      }
      for (const empty of ['node[]', 'python[]', 'cat[]']) assert.ok(output.includes(empty), output);
      // A hidden folder is an empty folder; a hard link to a hidden file cannot be made (other mount).
      assert.match(output, /ssh\[cat: [^\]]*id_ed25519: No such file or directory\]/);
      assert.match(output, /aws\[cat: [^\]]*credentials: No such file or directory\]/);
      assert.match(output, /link\[cat: linked: No such file or directory\]/);
      assert.ok(output.includes('prelinked[]'), 'a hard link to a denied file is hidden like the file');
      assert.ok(output.includes('readme[visible]'), 'ordinary files stay readable');
      assert.ok(output.includes('layers[]'), 'the layers of other commands are hidden');
    });

    scenario('writes to /tmp, the home folder and /etc never reach the real file system', async (t, id) => {
      const o = await run(t, 'writesOutside', id);
      if (!o) return;
      const output = String(o.output);
      assert.ok(output.includes('tmp[tmp]'), 'the private /tmp is writable inside the sandbox');
      assert.ok(output.includes('home-refused') && output.includes('etc-refused'), output);
      assert.deepEqual([o.realTmp, o.realHome, o.realEtc, o.realInside], [false, false, false, false]);
      assert.deepEqual(o.items, [
        {
          relative: 'inside.txt',
          change: 'created',
          modeChanged: false,
          after: { kind: 'text', text: 'ws\n' },
          ownApproval: false,
        },
      ]);
    });

    scenario('host service sockets (D-Bus, Docker, VS Code IPC live in /run) cannot be reached', async (t, id) => {
      if (serviceSocket === undefined) {
        t.skip('making a service socket in /run needs root');
        return;
      }
      // Outside the sandbox the service answers, so a refusal inside is the sandbox's doing.
      const outside = await new Promise<string>((resolve) => {
        let text = '';
        const socket = connect(serviceSocket as string);
        socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
        socket.on('close', () => resolve(text));
      });
      assert.match(outside, /service reached/);
      const before = serviceConnections;
      const o = await run(t, 'serviceSockets', id);
      if (!o) return;
      const output = String(o.output);
      assert.equal(serviceConnections, before, output);
      assert.ok(!output.includes('service reached'), output);
      assert.match(output, /curl-exit=7/);
      assert.match(output, /run\[\/run:\s*\/var\/run:\s*\]/, 'both are empty inside the sandbox');
    });

    scenario('tool caches are writable inside the sandbox and thrown away after it', async (t, id) => {
      const o = await run(t, 'toolCaches', id, (ctx) => {
        write(join(ctx.home, '.npm/_cacache/index'), 'cached\n');
        write(join(ctx.home, '.cache/pip/wheel'), 'wheel\n');
      });
      if (!o) return;
      assert.equal(o.exitCode, 0, String(o.output));
      assert.equal(o.output, 'written\nwheel\nchanged\n');
      assert.deepEqual([o.realNew, o.realWheel], [false, 'wheel\n']);
      assert.deepEqual(o.layers, []);
    });

    scenario('a loopback server outside the sandbox is unreachable, directly or through the proxy', async (t, id) => {
      const before = requests;
      const o = await run(t, 'loopbackServer', id);
      if (!o) return;
      const output = String(o.output);
      assert.equal(requests, before, `the host server was reached: ${output}`);
      assert.ok(!output.includes('reached the host server'), output);
      assert.match(output, /direct-exit=7/, 'a direct connection finds no route');
      assert.match(output, /127\.0\.0\.1:\d+ is not an allowed domain/, 'the proxy refuses an address not allowed');
      assert.match(output, /localhost resolves to a local address/, 'an allowed name that leads back here is refused');
      assert.match(output, /fetch-failed/);
      assert.deepEqual(o.blockedHosts, [`127.0.0.1:${port}`, `localhost:${port}`]);
    });

    scenario('an allowed domain is reached through the proxy; any other is refused and reported', async (t, id) => {
      const before = requests;
      const o = await run(t, 'allowedDomain', id);
      if (!o) return;
      const output = String(o.output);
      assert.match(output, /reached the host server\n allowed-exit=0/);
      assert.match(output, /blocked\.test:\d+ is not an allowed domain/);
      assert.equal(requests, before + 1, 'only the allowed request reached the server');
      assert.deepEqual(o.blockedHosts, [`blocked.test:${port}`]);
    });

    scenario('Stop kills the sandboxed command and every process it started', async (t, id) => {
      const o = await run(t, 'abortKillsTree', id);
      if (!o) return;
      assert.equal(o.cancelled, true);
      assert.equal(o.exitCode, null);
      assert.equal(o.leftProcesses, 0);
      assert.deepEqual(o.layers, []);
    });

    scenario('closing the window kills what runs and removes every undecided change set', async (t, id) => {
      const o = await run(t, 'disposeCleansUp', id);
      if (!o) return;
      assert.equal(o.heldBefore, 1, 'the undecided change set was held in its layer');
      assert.deepEqual([o.cancelled, o.leftProcesses, o.layers, o.realPending], [true, 0, 0, false]);
    });

    scenario('a background process does not outlive the command that started it', async (t, id) => {
      const o = await run(t, 'backgroundChild', id);
      if (!o) return;
      assert.deepEqual([o.exitCode, o.output, o.leftProcesses], [0, 'left a child behind\n', 0]);
    });

    scenario('a timeout kills the sandboxed command and every process it started', async (t, id) => {
      const o = await run(t, 'timeoutKillsTree', id);
      if (!o) return;
      assert.equal(o.timedOut, true);
      assert.equal(o.leftProcesses, 0);
    });

    scenario('10,000 files created in a git-ignored folder come back as one group', async (t, id) => {
      const o = await run(t, 'manyIgnoredFiles', id, (ctx) => {
        git(ctx.workspace, 'init', '-q');
        write(join(ctx.workspace, '.gitignore'), 'node_modules/\n');
      });
      if (!o) return;
      assert.equal(o.exitCode, 0, String(o.output));
      assert.deepEqual(o.items, []);
      assert.deepEqual(o.groups, [
        { relative: 'node_modules', created: 10_002, modified: 0, deleted: 0, files: 10_000 },
      ]);
      assert.equal(o.realExists, false);
    });

    scenario(
      'a stdio server started from the runner cannot read .env or write outside; its layer goes with it',
      async (t, id) => {
        const o = await run(t, 'serverLaunch', id, (ctx) => write(join(ctx.workspace, '.env'), 'SECRET=server'));
        if (!o) return;
        assert.equal(o.launchFailure, undefined);
        assert.match(String(o.output), /env=\[\]/);
        assert.doesNotMatch(String(o.output), /SECRET=server/);
        assert.equal(o.inside, 'inside\n', 'enforce: its workspace writes land directly');
        assert.equal(o.outsideExists, false);
        assert.equal(o.layers, 0, 'released with the server');
      },
    );

    scenario(
      'approved folders, links, binaries, modes and deletions land from the layer; a file changed meanwhile does not',
      async (t, id) => {
        const o = await run(t, 'directApply', id, (ctx) => {
          write(join(ctx.workspace, 'greeting.txt'), 'hello\n');
          write(join(ctx.workspace, 'run.sh'), 'echo run\n');
          write(join(ctx.workspace, 'gone.txt'), 'bye\n');
          write(join(ctx.workspace, 'data.bin'), 'O\0O');
        });
        if (!o) return;
        assert.equal(o.exitCode, 0, String(o.output));
        assert.deepEqual(o.applied, ['gone.txt', 'hello', 'run.sh', 'vendor', 'vendor/pkg', 'vendor/pkg/x.bin']);
        assert.deepEqual(o.failed, [['data.bin', 'changed since the command ran, not applied']]);
        assert.equal(o.binary, '420042');
        assert.equal(o.link, 'greeting.txt');
        assert.equal(o.runMode, '755');
        assert.equal(o.goneExists, false);
        assert.equal(o.dataBin, 'user\0edit');
        assert.deepEqual(o.layers, []);
      },
    );

    scenario(
      'emptied folders, renames, modes, links, binaries and denied or protected paths are told apart',
      async (t, id) => {
        const o = await run(t, 'foldersAndRenames', id, (ctx) => {
          write(join(ctx.workspace, 'greeting.txt'), 'hello\n');
          write(join(ctx.workspace, '.env'), 'SECRET=1\n');
          write(join(ctx.workspace, 'lib/old1.txt'), 'one\n');
          write(join(ctx.workspace, 'lib/old2.txt'), 'two\n');
          write(join(ctx.workspace, 'docs/a.md'), 'a\n');
          write(join(ctx.workspace, 'run.sh'), 'echo run\n');
          write(join(ctx.workspace, 'package.json'), '{}\n');
        });
        if (!o) return;
        assert.equal(o.exitCode, 0, String(o.output));
        const items = o.items as {
          relative: string;
          change: string;
          modeChanged: boolean;
          after?: { kind: string };
          ownApproval: boolean;
        }[];
        const summary = items.map(
          (i) => `${i.change} ${i.relative}${i.modeChanged ? ' (mode)' : ''}${i.ownApproval ? ' (own approval)' : ''}`,
        );
        assert.deepEqual(summary, [
          'created blob.bin',
          'deleted docs',
          'deleted docs/a.md',
          'created hello',
          'created lib/new.txt',
          'deleted lib/old1.txt',
          'deleted lib/old2.txt',
          'created notes',
          'created notes/a.md',
          'modified package.json (own approval)',
          'modified run.sh (mode)',
        ]);
        assert.equal(items.find((i) => i.relative === 'blob.bin')?.after?.kind, 'binary');
        assert.deepEqual(
          (o.dropped as { relative: string; rule: string }[]).map((d) => `${d.relative} ${d.rule}`),
          ['.env.production .env.*', 'leak .env'],
        );
      },
    );

    scenario('in enforce mode writes land directly, while secrets stay hidden and /tmp private', async (t, id) => {
      const o = await run(t, 'enforceMode', id, (ctx) => {
        write(join(ctx.workspace, 'greeting.txt'), 'hello world\n');
        write(join(ctx.workspace, '.env'), 'SECRET=1\n');
      });
      if (!o) return;
      assert.equal(o.real, 'hello enforced\n');
      assert.equal(o.changesHeld, false);
      assert.ok(String(o.output).includes('env[]'), String(o.output));
    });

    scenario('a file owned by another user cannot be changed in preview, and the result says why', async (t, id) => {
      const o = await run(t, 'foreignOwner', id, (ctx, identity) => {
        const path = join(ctx.workspace, 'foreign.txt');
        write(path, 'theirs\n');
        chmodSync(path, 0o666);
        // Root's stranger is nobody; the test user's stranger is root.
        chownSync(path, identity.user ? 0 : 65534, identity.user ? 0 : 65534);
        return [path];
      });
      if (!o) return;
      const output = String(o.output);
      assert.match(output, /Value too large for defined data type/);
      assert.match(output, /exit=1/);
      assert.match(output, /sed=0/, 'replacing the file (a new file of ours) still works');
      assert.equal(o.real, 'theirs\n');
      assert.equal((o.notes as string[]).length, 1);
      assert.deepEqual(
        (o.items as { relative: string; change: string }[]).map((i) => `${i.change} ${i.relative}`),
        ['modified foreign.txt'],
      );
    });

    scenario('layers a crashed host left behind are removed at start; a live owner keeps its own', async (t, id) => {
      const o = await run(t, 'staleLayers', id, (ctx) => {
        const stale = join(ctx.layerRoot, 'warden-layer-999999999-1-dead');
        mkdirSync(join(stale, 'work-0', 'work'), { recursive: true });
        writeFileSync(join(stale, 'upper-0-file'), 'x');
        chmodSync(join(stale, 'work-0', 'work'), 0o000);
        mkdirSync(join(ctx.layerRoot, `warden-layer-${process.pid}-${ownStart()}-live`), { recursive: true });
        chmodSync(ctx.layerRoot, 0o700);
      });
      if (!o) return;
      assert.deepEqual(o.left, [`warden-layer-${process.pid}-${ownStart()}-live`]);
    });
  });
}

function ownStart(): string {
  const stat = readFileSync(`/proc/${process.pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}
