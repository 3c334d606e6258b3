import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  canonicalHost,
  formatDomainPattern,
  isHostAllowed,
  parseAllowedDomains,
} from '../../../src/core/sandbox/domainAllowlist';

describe('parseAllowedDomains reads warden.sandbox.network.allowedDomains', () => {
  test('exact hosts and *.subdomain patterns are kept, lower-cased, without a trailing dot, once each', () => {
    const list = parseAllowedDomains(['Registry.NPMjs.org.', '*.github.com', 'registry.npmjs.org', ' pypi.org ']);
    assert.deepEqual(list.patterns.map(formatDomainPattern), ['registry.npmjs.org', '*.github.com', 'pypi.org']);
    assert.deepEqual(list.problems, []);
  });

  const invalid: unknown[] = ['*', '*.com', 'exa mple.com', 'ex*ample.com', 'https://example.com', '', 'a..b', 7, null];
  for (const entry of invalid) {
    test(`${JSON.stringify(entry)} is reported and allows nothing`, () => {
      const list = parseAllowedDomains([entry]);
      assert.deepEqual(list.patterns, []);
      assert.equal(list.problems.length, 1);
    });
  }
});

describe('isHostAllowed matches plain ASCII host names only', () => {
  const patterns = parseAllowedDomains(['registry.npmjs.org', '*.github.com', '10.0.0.5']).patterns;
  const cases: Array<[string, boolean]> = [
    ['registry.npmjs.org', true],
    ['REGISTRY.npmjs.org.', true],
    ['npmjs.org', false],
    ['evil-registry.npmjs.org', false],
    ['registry.npmjs.org.evil.com', false],
    ['api.github.com', true],
    ['a.b.github.com', true],
    ['github.com', false],
    ['notgithub.com', false],
    ['10.0.0.5', true],
    ['10.0.0.6', false],
    ['registry.npmjs.оrg', false], // Cyrillic о
    ['registry%2enpmjs.org', false],
    ['registry.npmjs.org\u200b', false],
    ['', false],
  ];
  for (const [host, allowed] of cases) {
    test(`${JSON.stringify(host)} → ${allowed ? 'allowed' : 'refused'}`, () =>
      assert.equal(isHostAllowed(host, patterns), allowed));
  }

  test('canonicalHost unwraps IPv6 literals', () => {
    assert.equal(canonicalHost('[::1]'), '::1');
    assert.equal(canonicalHost('[2001:db8::1]'), '2001:db8::1');
  });
});
