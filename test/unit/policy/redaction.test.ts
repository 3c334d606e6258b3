import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isSecretName, redactSecrets } from '../../../src/core/policy/redaction';

// Fake secrets are assembled at run time so secret scanners do not flag this file.
const j = (...parts: string[]) => parts.join('');
const rand = (n: number, alphabet = 'aZ3kQ9xT2mB7') =>
  Array.from({ length: n }, (_, i) => alphabet[(i * 7 + 3) % alphabet.length]).join('');
const OPENAI = j('sk-', 'proj-', rand(48));
const OPENAI_LEGACY = j('sk-', rand(48));
const ANTHROPIC = j('sk-', 'ant-', 'api03-', rand(80));
const AWS_ID = j('AKIA', 'IOSFODNN7EXAMPLE');
const AWS_SESSION = j('ASIA', 'Y34FZKBOKMUTVV7A');
const AWS_SECRET = j('wJalrXUtnFEMI/K7MDENG/', 'bPxRfiCYEXAMPLEKEY');
const GITHUB = j('ghp', '_', rand(36));
const GITHUB_PAT = j('github', '_pat_', rand(22), '_', rand(59));
const SLACK = j('xox', 'b-', '123456789012-', rand(24));
const GOOGLE = j('AIza', 'Sy', rand(33));
const STRIPE = j('sk', '_live_', rand(24));
const STRIPE_RESTRICTED = j('rk', '_live_', rand(24));
const JWT = j(
  'eyJ',
  'hbGciOiJIUzI1NiJ9',
  '.',
  'eyJ',
  'zdWIiOiIxMjM0NTY3ODkwIn0',
  '.',
  'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
);
const PRIVATE_KEY = j(
  '-----BEGIN ',
  'RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA',
  rand(60),
  '\n',
  rand(40),
  '\n-----END RSA PRIVATE KEY-----',
);

function assertRedacted(input: string, secret: string, kind: string): void {
  const out = redactSecrets(input);
  assert.ok(!out.includes(secret), `secret survived in: ${out}`);
  assert.ok(out.includes(`[REDACTED:${kind}]`), `expected [REDACTED:${kind}] in: ${out}`);
}

describe('provider keys and tokens are redacted wherever they appear', () => {
  const cases: Array<[string, string, string, string]> = [
    ['an OpenAI project key', `OPENAI says: ${OPENAI} end`, OPENAI, 'openai-key'],
    ['a legacy OpenAI key', `key=${OPENAI_LEGACY}`, OPENAI_LEGACY, 'openai-key'],
    ['an Anthropic key', `"${ANTHROPIC}"`, ANTHROPIC, 'anthropic-key'],
    ['an AWS access key id', `aws_access_key_id=${AWS_ID}`, AWS_ID, 'aws-access-key-id'],
    ['an AWS session key id', `id ${AWS_SESSION} here`, AWS_SESSION, 'aws-access-key-id'],
    ['an AWS secret access key', `aws_secret_access_key = ${AWS_SECRET}`, AWS_SECRET, 'secret'],
    ['a GitHub token', `remote: ${GITHUB}`, GITHUB, 'github-token'],
    ['a fine-grained GitHub token', `GH=${GITHUB_PAT}`, GITHUB_PAT, 'github-token'],
    ['a Slack token', `token ${SLACK}`, SLACK, 'slack-token'],
    ['a Google API key', `?key=${GOOGLE}&q=1`, GOOGLE, 'google-api-key'],
    ['a Stripe live key', `stripe ${STRIPE}`, STRIPE, 'stripe-key'],
    ['a Stripe restricted key', `stripe ${STRIPE_RESTRICTED}`, STRIPE_RESTRICTED, 'stripe-key'],
    ['a JWT', `cookie: session=${JWT}; path=/`, JWT, 'jwt'],
    ['a private key block', `before\n${PRIVATE_KEY}\nafter`, 'MIIEpAIBAAKCAQEA', 'private-key'],
    ['a bearer token in an Authorization header', `Authorization: Bearer ${rand(40)}`, rand(40), 'authorization'],
    [
      'a basic-auth header',
      `authorization: Basic ${j('dXNlcjpw', 'YXNzd29yZA==')}`,
      j('dXNlcjpw', 'YXNzd29yZA=='),
      'authorization',
    ],
    [
      'a bearer token outside a header',
      `token_type=Bearer ${j('ab12', rand(30))}`,
      j('ab12', rand(30)),
      'bearer-token',
    ],
    [
      'a password in a URL',
      `git clone https://deploy:${j('hunter', '2secret')}@git.example.com/x.git`,
      j('hunter', '2secret'),
      'url-password',
    ],
    [
      'a password in a database URL',
      `DATABASE_URL=postgres://app:${j('s3cr', 'et!')}@db:5432/app`,
      j('s3cr', 'et!'),
      'url-password',
    ],
  ];
  for (const [what, input, secret, kind] of cases) {
    test(`${what} is redacted as ${kind}`, () => assertRedacted(input, secret, kind));
  }

  test('a private key block cut off before its END line is redacted to the end', () => {
    const cut = PRIVATE_KEY.split('-----END')[0];
    assert.equal(redactSecrets(`x\n${cut}`), 'x\n[REDACTED:private-key]');
  });

  test('the user name in a URL is kept, only the password goes', () => {
    assert.equal(redactSecrets('https://deploy:pa55word@host/x'), 'https://deploy:[REDACTED:url-password]@host/x');
  });
});

describe('values assigned to secret-named keys are redacted', () => {
  const cases: Array<[string, string, string]> = [
    ['an env file line', 'DB_PASSWORD=correcthorse', 'DB_PASSWORD=[REDACTED:secret]'],
    ['an export with double quotes', 'export API_TOKEN="abc123def456"', 'export API_TOKEN="[REDACTED:secret]"'],
    ['an export with single quotes', "export GITHUB_SECRET='abc123def456'", "export GITHUB_SECRET='[REDACTED:secret]'"],
    ['JSON', '{"api_key": "abc123def456", "name": "x"}', '{"api_key": "[REDACTED:secret]", "name": "x"}'],
    ['JSON in camelCase', '{"clientSecret":"abc123"}', '{"clientSecret":"[REDACTED:secret]"}'],
    ['YAML', 'db:\n  password: hunter2\n  user: app', 'db:\n  password: [REDACTED:secret]\n  user: app'],
    ['a YAML list entry (docker-compose)', '  - POSTGRES_PASSWORD=example', '  - POSTGRES_PASSWORD=[REDACTED:secret]'],
    ['Java properties', 'spring.datasource.password=letmein', 'spring.datasource.password=[REDACTED:secret]'],
    ['TOML', 'secret_key = "abc123def456"', 'secret_key = "[REDACTED:secret]"'],
    ['a CREDENTIALS name', 'GOOGLE_CREDENTIALS=abc123', 'GOOGLE_CREDENTIALS=[REDACTED:secret]'],
    ['a PASSWD name', 'DB_PASSWD=abc', 'DB_PASSWD=[REDACTED:secret]'],
    ['a Go assignment', 'apiKey := "abc123def456"', 'apiKey := "[REDACTED:secret]"'],
    [
      'a generated-looking value mid-line',
      'connect(host, password=Xk29fj3kLq)',
      'connect(host, password=[REDACTED:secret])',
    ],
    ['an INI line with spaces', '[client]\npassword = hunter2\n', '[client]\npassword = [REDACTED:secret]\n'],
    [
      'an env line with a trailing comment',
      'API_TOKEN=abc # rotate monthly',
      'API_TOKEN=[REDACTED:secret] # rotate monthly',
    ],
    ['a numeric PIN in an env file', 'SIM_PASSWORD=1234', 'SIM_PASSWORD=[REDACTED:secret]'],
  ];
  for (const [what, input, expected] of cases) {
    test(`${what}: ${JSON.stringify(input)}`, () => assert.equal(redactSecrets(input), expected));
  }
});

describe('ordinary text is left exactly as it was', () => {
  const ordinary = [
    'KEY=',
    'API_KEY=',
    'Enter your password: ',
    'password:\n  next: line',
    'The password is stored in the keychain; the token expires.',
    'const apiKey = process.env.OPENAI_API_KEY;',
    'apiKey: config.apiKey,',
    'password: string;',
    'token?: string | undefined',
    'API_TOKEN=${API_TOKEN}',
    'password: "Enter your password"',
    '{"key": "Enter", "primary_key": "id"}',
    'id = models.AutoField(primary_key=True)',
    'public_key: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI',
    'monkey = banana',
    'hotkey: ctrl+k',
    'PWD=/home/u/project',
    'OLDPWD=/home/u',
    'nextPageToken: "CAUQAA"',
    'class="sk-loading-spinner-container-wrapper"',
    'See https://example.com/docs?x=1 and mailto:me@example.com',
    'Bearer tokens are described in RFC 6750.',
    'Authorization: required',
    'token === expected',
    'if password == "":',
    'max_tokens: 4096',
    'previousKey = key;',
    'resultingToken = startedWithBacktick ? 15 : 18;',
    '    token = 14 /* RegularExpressionLiteral */',
    '  apiKey: apiKey,',
    'token = 14',
    '"path-key": "^3.1.0",',
    '"no-useless-computed-key": "error",',
    '  id-token: write',
    'Token = "token"',
    "export type RequestCredentials = 'omit' | 'include' | 'same-origin'",
    "var seenKey = 'seen' + Math.random();",
    'git@github.com:org/repo.git',
    '',
  ];
  for (const text of ordinary) {
    test(`${JSON.stringify(text)} is unchanged`, () => assert.equal(redactSecrets(text), text));
  }
});

describe('isSecretName', () => {
  const secret = [
    'API_KEY',
    'apiKey',
    'api-key',
    'APIKEY',
    'clientSecret',
    'password',
    'db.password',
    '--password',
    'GITHUB_TOKEN',
    'aws_secret_access_key',
    'credentials',
  ];
  const notSecret = [
    'key',
    'monkey',
    'hotkey',
    'keyboard',
    'tokens',
    'passwordHint',
    'PWD',
    'OLDPWD',
    'public_key',
    'primaryKey',
    'sort_key',
    'nextPageToken',
  ];
  for (const name of secret) test(`${name} names a secret`, () => assert.equal(isSecretName(name), true));
  for (const name of notSecret) test(`${name} does not`, () => assert.equal(isSecretName(name), false));
});

describe('redaction is linear on a megabyte of adversarial input', () => {
  const MB = 1024 * 1024;
  // Each input is shaped to make a backtracking regex rescan the text from every position. The checks are
  // on the output (correct and complete); a quadratic pattern would make this test hang, not fail quietly.
  const cases: Array<[string, string, (out: string) => void]> = [
    ['one long run of token characters', 'a'.repeat(MB), (out) => assert.equal(out.length, MB)],
    ['sk- repeated without a digit', 'sk-'.repeat(MB / 3), (out) => assert.equal(out, 'sk-'.repeat(MB / 3))],
    [
      'unterminated private key headers',
      '-----BEGIN PRIVATE KEY-----'.repeat(MB / 27),
      (out) => assert.equal(out, '[REDACTED:private-key]'),
    ],
    [
      'secret names with unclosed quotes',
      'a_key="'.repeat(MB / 7),
      (out) => assert.ok(out.includes('[REDACTED:secret]')),
    ],
    ['mixed unclosed quotes', 'k_key="k_key=\''.repeat(MB / 14), (out) => assert.ok(out.length > 0)],
    [
      'many mid-line assignments on one line',
      'x password=short '.repeat(MB / 17),
      (out) => assert.ok(!out.includes('REDACTED')),
    ],
    ['Bearer followed by endless spaces', 'Bearer' + ' '.repeat(MB), (out) => assert.equal(out.length, MB + 6)],
    [
      'scheme-like prefixes without credentials',
      'a://b:'.repeat(MB / 6),
      (out) => assert.ok(!out.includes('REDACTED')),
    ],
    [
      'a long name of identifier characters',
      'x'.repeat(MB) + '_password=1',
      (out) => assert.equal(out.length, MB + 11),
    ],
    ['dots and dashes', '.-'.repeat(MB / 2), (out) => assert.equal(out.length, MB)],
    ['a JWT header that never reaches its dot', 'eyJ' + 'a'.repeat(MB), (out) => assert.equal(out.length, MB + 3)],
    ['JWT-like segments too short to be one', 'eyJab.'.repeat(MB / 6), (out) => assert.ok(!out.includes('REDACTED'))],
    [
      'Authorization headers without values',
      'Authorization: '.repeat(MB / 15),
      (out) => assert.ok(!out.includes('REDACTED')),
    ],
  ];
  for (const [what, input, check] of cases) {
    test(`${what} completes with the correct result`, () => check(redactSecrets(input)));
  }

  test('a secret in the middle of a megabyte of log output is still found', () => {
    const log = 'INFO request ok\n'.repeat(32_000) + `DEBUG using ${OPENAI}\n` + 'INFO done\n'.repeat(32_000);
    const out = redactSecrets(log);
    assert.ok(!out.includes(OPENAI));
    assert.equal(out.length, log.length - OPENAI.length + '[REDACTED:openai-key]'.length);
  });
});
