import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseServerMap, variablesIn } from '../../../src/core/mcp/serverConfig';

describe('server definitions in the shape of mcp.json', () => {
  test('a stdio entry is read with its command, args, env and cwd', () => {
    const parsed = parseServerMap({
      files: { type: 'stdio', command: 'npx', args: ['-y', 'server'], env: { TOKEN: '${secret:files}' }, cwd: 'x' },
    });
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.servers, [
      {
        name: 'files',
        type: 'stdio',
        command: 'npx',
        args: ['-y', 'server'],
        env: { TOKEN: '${secret:files}' },
        cwd: 'x',
      },
    ]);
  });

  test('an http entry is read with its url and headers', () => {
    const parsed = parseServerMap({
      docs: { type: 'http', url: 'https://docs.example/mcp', headers: { Authorization: 'Bearer ${secret:docs}' } },
    });
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.servers, [
      {
        name: 'docs',
        type: 'http',
        url: 'https://docs.example/mcp',
        headers: { Authorization: 'Bearer ${secret:docs}' },
      },
    ]);
  });

  test('the type is inferred from command or url when it is left out, as VS Code does', () => {
    const parsed = parseServerMap({ a: { command: 'node' }, b: { url: 'http://127.0.0.1:3000/mcp' } });
    assert.deepEqual(
      parsed.servers.map((s) => [s.name, s.type]),
      [
        ['a', 'stdio'],
        ['b', 'http'],
      ],
    );
  });

  test('keys Warden does not support are reported, not silently used or dropped', () => {
    const parsed = parseServerMap({ a: { type: 'stdio', command: 'node', envFile: '.env' } });
    assert.equal(parsed.servers.length, 1);
    assert.match(parsed.problems[0].message, /`envFile` is not supported/);
  });

  const invalid: Array<[string, string, unknown, RegExp]> = [
    ['a name with the separator __', 'a__b', { command: 'node' }, /not usable/],
    ['a name with a space', 'my server', { command: 'node' }, /not usable/],
    ['an entry that is not an object', 'a', 'node server.js', /must be an object/],
    ['neither command nor url', 'a', { args: [] }, /needs `"type": "stdio"`/],
    ['both command and url without a type', 'a', { command: 'node', url: 'http://x' }, /needs/],
    ['an unknown type', 'a', { type: 'websocket', url: 'ws://x' }, /not supported/],
    ['an empty command', 'a', { type: 'stdio', command: ' ' }, /empty/],
    ['a command with a newline', 'a', { type: 'stdio', command: 'node\nrm -rf ~' }, /control character/],
    ['args that are not a list', 'a', { command: 'node', args: 'x' }, /list of strings/],
    ['an arg that is not a string', 'a', { command: 'node', args: [1] }, /must be a string/],
    ['an env value that is not a string', 'a', { command: 'node', env: { A: 1 } }, /must be a string/],
    ['an invalid env name', 'a', { command: 'node', env: { 'A=B': 'x' } }, /invalid name/],
    ['a url that is not a URL', 'a', { type: 'http', url: 'not a url' }, /not a URL/],
    ['a url of another scheme', 'a', { type: 'http', url: 'file:///etc/passwd' }, /must be http/],
    ['credentials inside the url', 'a', { type: 'http', url: 'https://u:p@x.example/mcp' }, /user name or password/],
    ['a header named twice', 'a', { url: 'https://x.example', headers: { Auth: 'a', auth: 'b' } }, /twice/],
    ['a header value with a line break', 'a', { url: 'https://x.example', headers: { A: 'x\r\nB: y' } }, /control/],
    ['an ${input:…} variable', 'a', { command: 'node', env: { T: '${input:token}' } }, /not a variable Warden/],
    ['an ${env:…} variable', 'a', { command: 'node', args: ['${env:OPENAI_API_KEY}'] }, /not a variable Warden/],
    ['a secret in an argument', 'a', { command: 'node', args: ['--key=${secret:k}'] }, /cannot be used here/],
    ['a secret in the url', 'a', { type: 'http', url: 'https://x.example/?k=${secret:k}' }, /cannot be used here/],
    ['a secret with an invalid name', 'a', { command: 'node', env: { T: '${secret:a b}' } }, /not a valid secret/],
  ];
  for (const [what, name, entry, message] of invalid) {
    test(`an entry with ${what} is dropped and reported`, () => {
      const parsed = parseServerMap({ [name]: entry });
      assert.deepEqual(parsed.servers, []);
      assert.ok(
        parsed.problems.some((p) => message.test(p.message) && / not used\.$/.test(p.message)),
        JSON.stringify(parsed.problems),
      );
    });
  }

  test('one invalid entry does not take the valid ones with it', () => {
    const parsed = parseServerMap({ good: { command: 'node' }, 'b a d': { command: 'node' } });
    assert.deepEqual(
      parsed.servers.map((s) => s.name),
      ['good'],
    );
    assert.equal(parsed.problems.length, 1);
  });

  test('a value that is not an object of servers yields no server and one problem', () => {
    for (const raw of [[], 'x', 3]) {
      const parsed = parseServerMap(raw);
      assert.deepEqual(parsed.servers, []);
      assert.equal(parsed.problems.length, 1);
    }
    assert.deepEqual(parseServerMap(undefined), { servers: [], problems: [] });
  });

  test('variables are recognised exactly', () => {
    assert.deepEqual(variablesIn('a ${secret:x.y} ${workspaceFolder}/b ${userHome}'), {
      ok: true,
      references: [
        { kind: 'secret', argument: 'x.y', text: '${secret:x.y}' },
        { kind: 'workspaceFolder', argument: '', text: '${workspaceFolder}' },
        { kind: 'userHome', argument: '', text: '${userHome}' },
      ],
    });
    assert.equal(variablesIn('${workspaceFolder:other}').ok, false);
  });
});
