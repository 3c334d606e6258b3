import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PROTECTED_RULES, protectedRuleFor } from '../../../src/core/policy/protectedFiles';

describe('protectedRuleFor names the rule for files that change what runs later', () => {
  const cases: Array<[string, string]> = [
    ['.vscode/settings.json', '.vscode/**'],
    ['.vscode/launch.json', '.vscode/**'],
    ['apps/web/.vscode/tasks.json', '.vscode/**'],
    ['warden.code-workspace', '*.code-workspace'],
    ['.git/hooks/post-checkout', '.git/**'],
    ['.git/config', '.git/**'],
    ['.github/workflows/release.yml', '.github/workflows/**'],
    ['.gitlab-ci.yml', '.gitlab-ci.yml'],
    ['.circleci/config.yml', '.circleci/**'],
    ['azure-pipelines.yml', 'azure-pipelines.yml'],
    ['.buildkite/pipeline.yml', '.buildkite/**'],
    ['Jenkinsfile', 'Jenkinsfile'],
    ['package.json', 'package.json'],
    ['packages/deep/nested/package.json', 'package.json'],
    ['.npmrc', '.npmrc'],
    ['.yarnrc', '.yarnrc*'],
    ['.yarnrc.yml', '.yarnrc*'],
    ['.pnpmrc', '.pnpmrc'],
    ['.husky/pre-push', '.husky/**'],
    ['.devcontainer/devcontainer.json', '.devcontainer/**'],
    ['.envrc', '.envrc'],
    ['AGENTS.md', 'AGENTS.md'],
    ['services/api/AGENTS.md', 'AGENTS.md'],
    ['CLAUDE.md', 'CLAUDE.md'],
    ['.cursorrules', '.cursorrules'],
    ['.cursor/rules/style.mdc', '.cursor/**'],
    ['.clinerules', '.clinerules*'],
    ['.clinerules/01-style.md', '.clinerules*'],
    ['.github/copilot-instructions.md', '.github/copilot-instructions.md'],
    ['.warden/policy.json', '.warden/**'],
  ];
  for (const [path, rule] of cases) {
    test(`${path} is protected by ${rule}`, () => assert.equal(protectedRuleFor(path, false), rule));
  }

  test('every built-in rule is exercised above', () => {
    assert.deepEqual(new Set(cases.map(([, rule]) => rule)), new Set(PROTECTED_RULES));
  });
});

describe('protectedRuleFor does not over-protect ordinary build and project files', () => {
  const ordinary = [
    'Makefile',
    'package-lock.json',
    'tsconfig.json',
    'src/package.ts',
    'docs/AGENTS.md.bak',
    '.github/ISSUE_TEMPLATE/bug.md',
    '.github/CODEOWNERS',
    'src/.vscodeignore.ts',
    'README.md',
    'src/vscode/settings.ts',
  ];
  for (const path of ordinary) {
    test(`${path} is not protected`, () => assert.equal(protectedRuleFor(path, false), undefined));
  }
});

describe('protectedRuleFor sees through aliases', () => {
  test('letter case, when the host is case-insensitive', () =>
    assert.equal(protectedRuleFor('.VSCode/Settings.json', true), '.vscode/**'));
  test('letter case is significant on a case-sensitive host', () =>
    assert.equal(protectedRuleFor('.VSCode/Settings.json', false), undefined));
  test('trailing dots and spaces that Windows ignores', () => {
    assert.equal(protectedRuleFor('.vscode./settings.json', false), '.vscode/**');
    assert.equal(protectedRuleFor('package.json ', false), 'package.json');
  });
});
