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
    // Issue 9, class 9: files that run code later, from what each ecosystem executes implicitly.
    ['GEMINI.md', "other agents' instruction files"],
    ['.windsurfrules', "other agents' instruction files"],
    ['.github/instructions/ts.instructions.md', "other agents' instruction files"],
    ['.claude/settings.json', "other agents' instruction files"],
    ['.mcp.json', '.mcp.json'],
    ['.gitattributes', '.gitattributes'],
    ['lib/.gitattributes', '.gitattributes'],
    ['.gitmodules', '.gitmodules'],
    ['.lfsconfig', '.lfsconfig'],
    ['.pre-commit-config.yaml', 'git hook managers'],
    ['lefthook.yml', 'git hook managers'],
    ['.github/actions/setup/action.yml', 'CI definitions'],
    ['tools/deploy/action.yaml', 'CI definitions'],
    ['.travis.yml', 'CI definitions'],
    ['.pnpmfile.cjs', 'package manager hooks'],
    ['.yarn/releases/yarn-4.1.0.cjs', 'package manager hooks'],
    ['node_modules/.bin/eslint', 'package manager hooks'],
    ['eslint.config.js', 'configuration that runs'],
    ['vite.config.ts', 'configuration that runs'],
    ['packages/web/jest.config.cjs', 'configuration that runs'],
    ['.eslintrc.cjs', 'configuration that runs'],
    ['.babelrc', 'configuration that runs'],
    ['gulpfile.js', 'configuration that runs'],
    ['Makefile', 'build scripts'],
    ['src/rules.mk', 'build scripts'],
    ['build.rs', 'build scripts'],
    ['Cargo.toml', 'build scripts'],
    ['build.gradle.kts', 'build scripts'],
    ['gradle/wrapper/gradle-wrapper.properties', 'build scripts'],
    ['pom.xml', 'build scripts'],
    ['Rakefile', 'build scripts'],
    ['CMakeLists.txt', 'build scripts'],
    ['flake.nix', 'build scripts'],
    ['go.mod', 'build scripts'],
    ['conftest.py', 'Python test and install hooks'],
    ['tests/unit/conftest.py', 'Python test and install hooks'],
    ['setup.py', 'Python test and install hooks'],
    ['pyproject.toml', 'Python test and install hooks'],
    ['lib/python3.12/site-packages/evil.pth', 'Python test and install hooks'],
    ['prod.tfvars', 'Terraform'],
    ['infra/main.tf', 'Terraform'],
    ['.idea/workspace.xml', '.idea/**'],
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
    'package-lock.json',
    'src/config.ts',
    'src/app.config.json',
    'docs/Makefile.md',
    'src/build.rs.txt',
    'terraform.md',
    'src/conftest_helpers.ts',
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
