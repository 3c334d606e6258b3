// Class 10: case-insensitive and look-alike names. On a case-insensitive file system user deny globs
// match in any letter case; built-in secret denials also hold for names that read the same once
// percent-decoded or once look-alike letters of other scripts are read as Latin. Ordinary names that
// merely contain such letters stay allowed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PathPolicy } from '../../../src/core/policy/pathPolicy';
import { foldLookAlikes } from '../../../src/core/policy/canonicalPath';
import { fakeEnv, settings, user } from './pathTestEnvironment';

const everything = { files: ['/ws', '/home/u'] };
const sensitive = new PathPolicy(
  settings({ deny: user('**/node_modules/**', 'secrets/**') }),
  fakeEnv({ tree: everything }),
);
const insensitive = new PathPolicy(
  settings({ deny: user('**/node_modules/**', 'secrets/**') }),
  fakeEnv({ tree: everything, caseInsensitive: true, realpath: (p) => p }),
);

describe('user deny globs on a case-insensitive file system match in any letter case', () => {
  for (const path of ['src/NODE_MODULES/x.js', 'Node_Modules/a/b.js', 'SECRETS/key.txt', 'Secrets/db.json']) {
    test(`${path} is denied there`, () => {
      for (const op of ['read', 'write'] as const) assert.equal(insensitive.decide(op, `/ws/${path}`).decision, 'deny');
    });
  }
  test('on a case-sensitive file system they are other files', () => {
    assert.equal(sensitive.decide('read', '/ws/src/NODE_MODULES/x.js').decision, 'allow');
  });
});

describe('built-in secret denials hold for look-alike and percent-encoded names', () => {
  const cases: [path: string, rule: RegExp][] = [
    ['.\u0435nv', /\.env/], // Cyrillic е
    ['.\u0435nv.local', /\.env/],
    ['src/.\u0435n\u03bd', /\.env/], // Cyrillic е, Greek ν
    ['.%65nv', /\.env/],
    ['.%2565nv', /\.env|invalid/], // encoded twice
    ['\uff0eenv'.normalize('NFC'), /\.env|invalid/], // fullwidth full stop
    ['keys/server.p\u0435m', /pem/],
    ['.ssh/id_rs\u0430', /id_|ssh/], // Cyrillic а
    ['config/credentials.j\u0455on', /credentials/], // Cyrillic ѕ
  ];
  for (const [path, rule] of cases) {
    test(`${JSON.stringify(path)} is denied`, () => {
      for (const op of ['read', 'write'] as const) {
        const d = sensitive.decide(op, `/ws/${path}`);
        assert.equal(d.decision, 'deny', `${op}: ${d.reason}`);
        assert.match(d.rule, rule);
      }
    });
  }

  const ordinary = ['docs/\u0440\u0443\u0441\u0441\u043a\u0438\u0439.md', 'src/caf\u00e9.ts', 'src/\u03b1\u03b2.ts'];
  for (const path of ordinary) {
    test(`${JSON.stringify(path)} stays allowed`, () => {
      const d = sensitive.decide('read', `/ws/${path}`);
      assert.equal(d.decision, 'allow', d.reason);
    });
  }

  test('folding decodes, applies NFKC and reads look-alikes as Latin', () => {
    assert.equal(foldLookAlikes('.%65nv'), '.env');
    assert.equal(foldLookAlikes('.\u0435nv'), '.env');
    assert.equal(foldLookAlikes('\uff45nv'), 'env');
    assert.equal(foldLookAlikes('src/a.ts'), 'src/a.ts');
  });
});
