// Files whose content decides what runs later or how the agent itself behaves. Writing one is the
// "self-reconfiguration" attack (switch off approvals, add a hook or CI job, poison a package script),
// so a write to any of them always asks and is never auto-approved.
import { anyDepthGlobsRegex, canonicalGlobRegex, matchKey } from './canonicalPath';

/** Rule name (as shown to the user) → globs matched against a workspace-relative path. */
const PROTECTED: ReadonlyArray<readonly [name: string, globs: readonly string[]]> = [
  // Editor settings and tasks can disable Warden's own approvals or run tasks on folder open.
  ['.vscode/**', ['**/.vscode', '**/.vscode/**']],
  ['*.code-workspace', ['**/*.code-workspace']],
  // Hooks and config (core.fsmonitor, core.pager, filters) execute code on the next git command.
  ['.git/**', ['**/.git', '**/.git/**']],
  // CI definitions run with the repository's secrets on the next push.
  ['.github/workflows/**', ['**/.github/workflows/**']],
  ['.gitlab-ci.yml', ['**/.gitlab-ci.yml']],
  ['.circleci/**', ['**/.circleci/**']],
  ['azure-pipelines.yml', ['**/azure-pipelines.yml']],
  ['.buildkite/**', ['**/.buildkite/**']],
  ['Jenkinsfile', ['**/Jenkinsfile']],
  // Package scripts and registry config run on the next install/test.
  ['package.json', ['**/package.json']],
  ['.npmrc', ['**/.npmrc']],
  ['.yarnrc*', ['**/.yarnrc*']],
  ['.pnpmrc', ['**/.pnpmrc']],
  ['.husky/**', ['**/.husky/**']],
  ['.devcontainer/**', ['**/.devcontainer/**']],
  // direnv runs .envrc on cd.
  ['.envrc', ['**/.envrc']],
  // Instruction files steer this and other agents: a prompt injection that persists.
  ['AGENTS.md', ['**/AGENTS.md']],
  ['CLAUDE.md', ['**/CLAUDE.md']],
  ['.cursorrules', ['**/.cursorrules']],
  ['.cursor/**', ['**/.cursor/**']],
  ['.clinerules*', ['**/.clinerules*', '**/.clinerules*/**']],
  ['.github/copilot-instructions.md', ['**/.github/copilot-instructions.md']],
  ['.warden/**', ['**/.warden', '**/.warden/**']],
  [
    "other agents' instruction files",
    [
      '**/GEMINI.md',
      '**/.gemini/**',
      '**/.windsurfrules',
      '**/.windsurf/**',
      '**/.claude/**',
      '**/.github/instructions/**',
      '**/.github/prompts/**',
      '**/.continue/**',
      '**/.roo/**',
      '**/.roorules*',
      '**/.aider.conf.yml',
      '**/.junie/**',
      '**/.amazonq/**',
      '**/.kiro/**',
    ],
  ],
  // MCP servers a repository defines start on approval: their definition is approved by its hash.
  ['.mcp.json', ['**/.mcp.json']],
  // Git runs these on the next checkout, diff or submodule update: filters, diff drivers, submodule URLs.
  ['.gitattributes', ['**/.gitattributes']],
  ['.gitmodules', ['**/.gitmodules']],
  ['.lfsconfig', ['**/.lfsconfig']],
  // Hooks managers run on the next commit.
  [
    'git hook managers',
    [
      '**/.pre-commit-config.yaml',
      '**/.pre-commit-hooks.yaml',
      '**/lefthook.yml',
      '**/lefthook.yaml',
      '**/.lefthook.yml',
      '**/.lefthook/**',
      '**/.simple-git-hooks*',
      '**/.lintstagedrc*',
    ],
  ],
  // CI elsewhere, and GitHub Actions defined in the repository (run by its workflows).
  [
    'CI definitions',
    [
      '**/.github/actions/**',
      '**/action.yml',
      '**/action.yaml',
      '**/.travis.yml',
      '**/bitbucket-pipelines.yml',
      '**/.drone.yml',
      '**/appveyor.yml',
      '**/.gitpod.yml',
    ],
  ],
  // Package managers load these on every install or run.
  [
    'package manager hooks',
    [
      '**/.pnpmfile.cjs',
      '**/.pnpmfile.mjs',
      '**/pnpm-workspace.yaml',
      '**/.yarn/plugins/**',
      '**/.yarn/releases/**',
      '**/.pnp.cjs',
      '**/.pnp.loader.mjs',
      '**/node_modules/.bin/**',
    ],
  ],
  // Tool configuration that is code: linters, formatters, bundlers and test runners execute it (`*.config.js`).
  [
    'configuration that runs',
    [
      '**/*.config.js',
      '**/*.config.cjs',
      '**/*.config.mjs',
      '**/*.config.ts',
      '**/*.config.cts',
      '**/*.config.mts',
      '**/.eslintrc*',
      '**/.babelrc*',
      '**/.mocharc*',
      '**/.prettierrc.js',
      '**/.prettierrc.cjs',
      '**/.prettierrc.mjs',
      '**/karma.conf.*',
      '**/gulpfile.*',
      '**/Gruntfile.*',
    ],
  ],
  // Build scripts that make, cargo, gradle, maven, rake, cmake, bazel, nix, just and task run.
  [
    'build scripts',
    [
      '**/Makefile',
      '**/makefile',
      '**/GNUmakefile',
      '**/*.mk',
      '**/justfile',
      '**/Justfile',
      '**/Taskfile.yml',
      '**/Taskfile.yaml',
      '**/build.rs',
      '**/Cargo.toml',
      '**/.cargo/**',
      '**/build.gradle',
      '**/build.gradle.kts',
      '**/settings.gradle',
      '**/settings.gradle.kts',
      '**/gradlew',
      '**/gradle/wrapper/**',
      '**/pom.xml',
      '**/mvnw',
      '**/.mvn/**',
      '**/Rakefile',
      '**/Gemfile',
      '**/*.gemspec',
      '**/CMakeLists.txt',
      '**/meson.build',
      '**/BUILD',
      '**/BUILD.bazel',
      '**/WORKSPACE',
      '**/.bazelrc',
      '**/flake.nix',
      '**/shell.nix',
      '**/default.nix',
      '**/go.mod',
      '**/go.work',
    ],
  ],
  // Python runs these when tests run or the environment starts, and on install.
  [
    'Python test and install hooks',
    [
      '**/conftest.py',
      '**/pytest.ini',
      '**/tox.ini',
      '**/noxfile.py',
      '**/setup.py',
      '**/setup.cfg',
      '**/pyproject.toml',
      '**/sitecustomize.py',
      '**/usercustomize.py',
      '**/*.pth',
    ],
  ],
  // Terraform runs providers and external data sources on plan, with these values.
  ['Terraform', ['**/*.tf', '**/*.tfvars', '**/*.tfvars.json', '**/.terraformrc', '**/terragrunt.hcl']],
  // Other editors run tasks and configurations from these.
  ['.idea/**', ['**/.idea/**']],
];

/** The rule names, for documentation and the policy CLI. */
export const PROTECTED_RULES: readonly string[] = PROTECTED.map(([name]) => name);

interface CompiledRule {
  name: string;
  re: RegExp;
}

function compile(nocase: boolean): { any: RegExp; rules: CompiledRule[] } {
  const rules: CompiledRule[] = [];
  for (const [name, globs] of PROTECTED) {
    for (const glob of globs) {
      const re = canonicalGlobRegex(glob, nocase);
      if (re === false) throw new Error(`built-in protected glob does not compile: ${glob}`);
      rules.push({ name, re });
    }
  }
  // One combined test answers the common "not protected" case in a single regex run.
  const any = anyDepthGlobsRegex(
    PROTECTED.flatMap(([, globs]) => globs),
    nocase,
  );
  return { any, rules };
}

// Compiled on the first decision, not when the module loads: activation loads it but decides nothing.
let caseSensitive: ReturnType<typeof compile> | undefined;
let caseInsensitive: ReturnType<typeof compile> | undefined;

/**
 * The built-in protected-file rule matching a workspace-relative, '/'-separated path, or undefined.
 * Trailing dots and spaces on segments are ignored (`.git./config` is `.git/config` on Windows).
 */
export function protectedRuleFor(relativePath: string, caseInsensitiveMatch: boolean): string | undefined {
  const table = caseInsensitiveMatch ? (caseInsensitive ??= compile(true)) : (caseSensitive ??= compile(false));
  const key = matchKey(relativePath);
  if (!table.any.test(key)) return undefined;
  for (const rule of table.rules) if (rule.re.test(key)) return rule.name;
  return undefined;
}
