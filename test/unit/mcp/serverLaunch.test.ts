import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { McpServerDefinition } from '../../../src/core/mcp/serverConfig';
import {
  approvalView,
  definitionHash,
  describeServer,
  resolveLaunch,
  type McpVariablePort,
} from '../../../src/core/mcp/serverLaunch';

// Assembled at run time so secret scanners do not flag this file.
const SECRET = ['sk-', 'proj-', 'aZ3kQ9xT2mB7aZ3kQ9xT2mB7aZ3k'].join('');

/** `folder: null` stands for a window without a folder. */
function variables(secrets: Record<string, string> = {}, folder: string | null = '/work/repo'): McpVariablePort {
  return {
    secret: async (name) => secrets[name],
    workspaceFolder: () => folder ?? undefined,
    userHome: () => '/home/u',
  };
}

const stdio: McpServerDefinition = {
  name: 'files',
  type: 'stdio',
  command: '${userHome}/bin/server',
  args: ['--root', '${workspaceFolder}'],
  env: { API_KEY: '${secret:files-key}', MODE: 'fast' },
};
const http: McpServerDefinition = {
  name: 'docs',
  type: 'http',
  url: 'https://docs.example/mcp',
  headers: { Authorization: 'Bearer ${secret:docs}' },
};

describe('resolving a definition into what starts', () => {
  test('secrets, the workspace folder and the home directory are substituted', async () => {
    const resolved = await resolveLaunch(stdio, variables({ 'files-key': SECRET }));
    assert.deepEqual(resolved, {
      ok: true,
      launch: {
        type: 'stdio',
        name: 'files',
        command: '/home/u/bin/server',
        args: ['--root', '/work/repo'],
        env: { API_KEY: SECRET, MODE: 'fast' },
        cwd: '/work/repo',
      },
    });
  });

  test('a header secret is substituted into the header only', async () => {
    const resolved = await resolveLaunch(http, variables({ docs: 'abc' }));
    assert.ok(resolved.ok);
    assert.deepEqual(resolved.launch, {
      type: 'http',
      name: 'docs',
      url: 'https://docs.example/mcp',
      headers: { Authorization: 'Bearer abc' },
    });
  });

  test('a substituted value is never expanded again (a secret holding `${…}` stays as it is)', async () => {
    const server: McpServerDefinition = { ...http, headers: { A: '${secret:a}', B: '${secret:a}-${secret:b}' } };
    const resolved = await resolveLaunch(server, variables({ a: '${secret:b}', b: 'B' }));
    assert.ok(resolved.ok && resolved.launch.type === 'http');
    assert.deepEqual(resolved.launch.headers, { A: '${secret:b}', B: '${secret:b}-B' });
  });

  test('a missing secret stops the start and names the secret and the command to set it', async () => {
    const resolved = await resolveLaunch(stdio, variables({}));
    assert.deepEqual(resolved, {
      ok: false,
      message: 'MCP server "files" cannot start: the secret "files-key" is not set (run "Warden: Set MCP Secret").',
    });
  });

  test('${workspaceFolder} without an open folder stops the start', async () => {
    const resolved = await resolveLaunch(stdio, variables({ 'files-key': 'x' }, null));
    assert.equal(resolved.ok, false);
  });

  test('a relative cwd is taken from the workspace folder, and no cwd means the folder', async () => {
    const relative = await resolveLaunch({ ...stdio, env: {}, cwd: 'tools' }, variables());
    assert.ok(relative.ok && relative.launch.type === 'stdio');
    assert.equal(relative.launch.cwd, '/work/repo/tools');
    const none = await resolveLaunch({ ...stdio, env: {} }, variables({}, null));
    assert.equal(none.ok, false); // `${workspaceFolder}` in args
    const home = await resolveLaunch(
      { name: 'x', type: 'stdio', command: 'node', args: [], env: {} },
      variables({}, null),
    );
    assert.ok(home.ok && home.launch.type === 'stdio');
    assert.equal(home.launch.cwd, '/home/u');
  });
});

describe('what logs and approval cards show', () => {
  test('the log line names env variables and headers but shows none of their values', () => {
    const line = describeServer({ ...stdio, env: { API_KEY: SECRET, MODE: 'fast' } });
    assert.match(line, /env API_KEY, MODE/);
    assert.ok(!line.includes(SECRET));
    assert.ok(!line.includes('fast'));
    assert.equal(describeServer(http), 'docs (http): https://docs.example/mcp; headers Authorization');
  });

  test('a secret-looking argument or URL part is redacted in the log line', () => {
    const line = describeServer({ name: 'a', type: 'stdio', command: 'srv', args: [`--api-key=${SECRET}`], env: {} });
    assert.ok(!line.includes(SECRET), line);
  });

  test('the approval view shows the command line, env as written, and warns about risky variables and secrets', () => {
    const view = approvalView({ ...stdio, env: { NODE_OPTIONS: '--require ./x.js', API_KEY: '${secret:k}' } });
    assert.equal(view.target, '${userHome}/bin/server --root ${workspaceFolder}');
    assert.deepEqual(view.environment, ['NODE_OPTIONS=--require ./x.js', 'API_KEY=${secret:k}']);
    assert.deepEqual(view.warnings, [
      'sets NODE_OPTIONS, which changes what a program loads or runs',
      'gives your secret "k" to this program',
    ]);
    assert.deepEqual(approvalView(http).warnings, ['gives your secret "docs" to docs.example']);
    assert.deepEqual(approvalView(http).headers, ['Authorization: Bearer ${secret:docs}']);
  });
});

describe('the definition hash an approval is remembered by', () => {
  const base = definitionHash(stdio);
  const variants: Array<[string, McpServerDefinition]> = [
    ['the command', { ...stdio, command: 'other' }],
    ['an argument', { ...stdio, args: ['--root', '/'] }],
    ['an env name', { ...stdio, env: { API_KEY: '${secret:files-key}', MODE2: 'fast' } }],
    ['an env value as written', { ...stdio, env: { API_KEY: '${secret:files-key}', MODE: '--require x' } }],
    ['the cwd', { ...stdio, cwd: '/' }],
  ];
  for (const [what, changed] of variants) {
    test(`changes with ${what}`, () => assert.notEqual(definitionHash(changed), base));
  }

  test('changes with the url, a header name or a header value; not with header name case', () => {
    const h = definitionHash(http);
    assert.notEqual(definitionHash({ ...http, url: 'https://evil.example/mcp' }), h);
    assert.notEqual(definitionHash({ ...http, headers: { 'X-Auth': 'Bearer ${secret:docs}' } }), h);
    assert.notEqual(definitionHash({ ...http, headers: { Authorization: 'Bearer ${secret:other}' } }), h);
    assert.equal(definitionHash({ ...http, headers: { authorization: 'Bearer ${secret:docs}' } }), h);
  });

  test('does not change with the order of env entries, and never contains a resolved secret', () => {
    const reordered: McpServerDefinition = { ...stdio, env: { MODE: 'fast', API_KEY: '${secret:files-key}' } };
    assert.equal(definitionHash(reordered), base);
    assert.match(base, /^[0-9a-f]{64}$/);
  });
});
