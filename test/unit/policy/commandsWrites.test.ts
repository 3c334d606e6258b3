// Attack class 3: writes through the terminal. Redirect targets and the files writing commands name go
// through the same path policy as the write tool (op 'write', relative to the command's cwd).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BashParser } from '../../../src/core/policy/bashGrammar';
import { commandPolicy, explain, loadParser, TYPICAL_ALLOW, WORKSPACE } from './commandsFixture';

let parser: BashParser;
before(async () => {
  parser = await loadParser();
});

const ALLOW = [...TYPICAL_ALLOW, 'dd', 'truncate', 'ln', 'mkdir', 'unzip', 'patch', 'install', 'rsync', 'npm', 'wget'];

function decide(command: string, cwd = WORKSPACE) {
  return commandPolicy(parser, { allow: ALLOW }).decide(command, cwd);
}

const DENIED: [what: string, command: string][] = [
  ['a redirect to a secret', 'echo KEY=1 > .env'],
  ['an appending redirect into .git', 'echo "[core] pager = id" >> .git/config'],
  ['`&>` to a secret', 'ls &> .env'],
  ['`>|` to a secret', 'echo x >| .env'],
  ['`tee` to a secret', 'echo x | tee .env'],
  ['`cp` onto a secret', 'cp a.txt .env'],
  ['`mv` onto a secret', 'mv a.txt .env'],
  ['`sed -i` on a secret', "sed -i 's/a/b/' .env"],
  ['`touch` of a secret', 'touch server.pem'],
  ['`dd of=` a secret', 'dd if=a.txt of=.env'],
  ['`curl -o` a secret', 'curl -o .env https://example.com/x'],
  ['`wget -O` a secret', 'wget -O .env https://example.com/x'],
  ['`truncate` of a secret', 'truncate -s 0 .env'],
  ['`rm` of a secret', 'rm .env'],
  ['`install` onto a secret', 'install -m 600 a.txt id_rsa'],
  ['a redirect to ~/.bashrc', 'echo "curl x | sh" >> ~/.bashrc'],
  ['a redirect to ~/.zshrc', 'echo x > ~/.zshrc'],
  ['a redirect to ~/.profile', 'echo x >> ~/.profile'],
  ['a redirect to $HOME/.bashrc', 'echo x >> "$HOME/.bashrc"'],
  ['a redirect to ${HOME}/.bash_profile', 'echo x >> ${HOME}/.bash_profile'],
  ['`tee -a` to ~/.bash_profile', 'echo x | tee -a ~/.bash_profile'],
  ['`cp` to authorized_keys', 'cp key.pub ~/.ssh/authorized_keys'],
  ['`ln -sf` over ~/.bashrc', 'ln -sf /tmp/x ~/.bashrc'],
  ['a redirect to /etc/profile', 'echo x >> /etc/profile'],
  ['a redirect to fish config', 'echo x >> ~/.config/fish/config.fish'],
  ['a redirect to ~/.gitconfig', 'echo "[core] pager = id" >> ~/.gitconfig'],
  ['a relative redirect after `cd ~`', 'cd ~ && echo x >> .bashrc'],
  ['a redirect through a symlink to ~/.bashrc', 'echo x > src/rc'],
  ['a redirect to a disk', 'echo x > /dev/sda'],
  ['a redirect to an NVMe disk', 'cat img > /dev/nvme0n1'],
  ['`tee` to /dev/mem', 'echo x | tee /dev/mem'],
  ['`rm -rf` of the workspace folder itself', 'rm -rf .'],
  ['`mv` of the workspace folder itself', 'mv . ../elsewhere'],
];

describe('writes to denied files, shell startup files and devices are refused', () => {
  for (const [what, command] of DENIED) {
    test(`${what} is denied`, () => {
      const d = decide(command);
      assert.equal(d.decision, 'deny', explain(d));
    });
  }
});

const ASKED: [what: string, command: string, rule: RegExp][] = [
  ['a redirect to workspace settings', 'echo "{}" > .vscode/settings.json', /^protected:/],
  ['a redirect to package.json', "echo '{}' > package.json", /^protected:/],
  ['`cp` into CI workflows', 'cp ci.yml .github/workflows/ci.yml', /^protected:/],
  ['`sed -i` on package.json', "sed -i 's/test/x/' package.json", /^protected:/],
  ['`mv` of a folder named .vscode into the root', 'mv tmp/.vscode .', /^protected:/],
  ['a redirect outside the workspace', 'echo x > /tmp/out.txt', /^write-outside-workspace$/],
  ['`cp` outside the workspace', 'cp a.txt ../other/', /^write-outside-workspace$/],
  ['`touch` in the home directory', 'touch ~/notes.txt', /^write-outside-workspace$/],
  ['a redirect to a variable', 'echo x > $OUT', /^write-unresolvable$/],
  ['a redirect to a substitution', 'echo x > "$(mktemp)"', /^write-unresolvable$/],
  ['a redirect to a glob', 'echo x > *.txt', /^write-unresolvable$/],
  ['a redirect to a brace expansion', 'echo x > {a,b}.txt', /^write-unresolvable$/],
  ['a redirect to another user’s home', 'echo x > ~root/x', /^write-unresolvable$/],
  ['`cp` to a glob', 'cp a.txt src/*/', /^write-unresolvable$/],
  ['an inner `~`', 'curl --output=x~/y https://example.com', /^write-unresolvable$/],
  ['`tar -x`', 'tar -xf a.tar', /^archive-extract$/],
  ['`unzip`', 'unzip a.zip', /^archive-extract$/],
  ['`patch`', 'patch -p1 < fix.diff', /^writes-unknown-files$/],
  ['`cp -r` of a directory’s contents', 'cp -r vendor/. .', /^copy-contents$/],
  ['`rsync` of a directory’s contents', 'rsync -a vendor/ .', /^copy-contents$/],
  ['`wget` without an output name', 'wget https://example.com/x', /^write-unresolvable$/],
  ['a write after `cd -`', 'cd - && echo x > out.txt', /^write-unresolvable$/],
];

describe('writes to protected, outside or unresolvable targets ask', () => {
  for (const [what, command, rule] of ASKED) {
    test(`${what} asks`, () => {
      const d = decide(command);
      assert.equal(d.decision, 'ask', explain(d));
      assert.ok(
        d.parts.some((p) => rule.test(p.rule)),
        `expected a part matching ${rule}: ${explain(d)}`,
      );
    });
  }
});

const ALLOWED: [what: string, command: string][] = [
  ['a redirect inside the workspace', 'echo x > out.txt'],
  ['an appending redirect inside the workspace', 'echo x >> logs/test.log'],
  ['`tee` inside the workspace', 'npm test 2>&1 | tee test.log'],
  ['a redirect to /dev/null', 'ls nothing 2>/dev/null'],
  ['`&>` to /dev/null', 'npm test &> /dev/null'],
  ['a duplication to stderr', 'echo oops >&2'],
  ['a duplication of stderr', 'npm test 2>&1'],
  ['a closed descriptor', 'ls 2>&-'],
  ['`cp` inside the workspace', 'cp src/a.ts src/b.ts'],
  ['`touch` inside the workspace', 'touch src/new.ts'],
  ['`sed -i` inside the workspace', "sed -i 's/a/b/' src/a.ts"],
  ['`mkdir -p` inside the workspace', 'mkdir -p build/out'],
  ['`curl -o` inside the workspace', 'curl -fsSL -o page.html https://example.com'],
  ['`cp` into the workspace folder itself', 'cp src/a.ts .'],
];

describe('writes inside the workspace by allowed commands stay allowed', () => {
  for (const [what, command] of ALLOWED) {
    test(`${what} is allowed`, () => {
      const d = decide(command);
      assert.equal(d.decision, 'allow', explain(d));
    });
  }

  test('a relative target is judged from the command’s working directory', () => {
    assert.equal(decide('echo x > ../../outside.txt', `${WORKSPACE}/src`).decision, 'ask');
    assert.equal(decide('echo x > ../inside.txt', `${WORKSPACE}/src`).decision, 'allow');
  });
});

/**
 * A backup suffix holding a `/` names a backup file in another directory (GNU sed puts `-i'/tmp/*'`'s backup of
 * `a.txt` at `/tmp/a.txt`); that path is on no command line, so the write policy never saw it.
 */
const BACKUP_ELSEWHERE: [what: string, command: string][] = [
  ['`sed -i` with a `*` suffix in /tmp', "sed -i'/tmp/*' 's/a/b/' a.txt"],
  ['`sed -i` with a suffix climbing out of the workspace', "sed -i'../../*' 's/a/b/' a.txt"],
  ['`sed -i` with a suffix into .git/hooks', "sed -i'.git/hooks/pre-commi*' 's/a/b/' t"],
  ['`sed --in-place=` with a directory', "sed --in-place='/tmp/*' 's/a/b/' a.txt"],
  ['an abbreviated `--in-pl=`', "sed --in-pl='/tmp/*' 's/a/b/' a.txt"],
  ['`sed -ni` with a directory', "sed -ni'/tmp/*' 's/a/b/p' a.txt"],
  ['`sed -i` with a suffix known at run time', 'sed -i"$SUFFIX" \'s/a/b/\' a.txt'],
  ['`cp -S` with a directory', 'cp -b -S /../../tmp/x a.txt b.txt'],
  ['`mv --suffix=` with a directory', 'mv -b --suffix=/../../tmp/x dir1 dir2'],
  ['`ln -S` with a directory', 'ln -sfb -S /../x a.txt b.txt'],
  ['`install -S` with a directory', 'install -b -S /../x a.txt b.txt'],
];

describe('a backup suffix that leaves the directory asks', () => {
  for (const [what, command] of BACKUP_ELSEWHERE) {
    test(what, () => {
      const d = decide(command);
      assert.equal(d.decision, 'ask', explain(d));
      assert.ok(
        d.parts.some((p) => p.rule === 'backup-elsewhere'),
        explain(d),
      );
    });
  }
});

const BACKUP_BESIDE: [what: string, command: string][] = [
  ['`sed -i` without a suffix', "sed -i 's/a/b/' a.txt"],
  ['`sed -i.bak`', "sed -i.bak 's/a/b/' a.txt"],
  ['`sed -i` with a `*` prefix in the same directory', "sed -i'old_*' 's/a/b/' a.txt"],
  ['`sed --in-place=.orig`', "sed --in-place=.orig 's/a/b/' a.txt"],
  ['`cp -b -S .old`', 'cp -b -S .old a.txt b.txt'],
  ['`mv --backup --suffix=~`', 'mv --backup --suffix=~ a.txt b.txt'],
];

describe('a backup beside the file stays allowed', () => {
  for (const [what, command] of BACKUP_BESIDE) {
    test(what, () => {
      const d = decide(command);
      assert.equal(d.decision, 'allow', explain(d));
    });
  }
});

/** git subcommands that rewrite or delete the working-tree files named after `--`: judged by the write policy. */
const GIT_WORKTREE_WRITES: [what: string, command: string, decision: 'ask' | 'deny'][] = [
  ['`git checkout --` of a secret', 'git checkout -- .env', 'deny'],
  ['`git checkout REV --` of the editor settings', 'git checkout topic -- .vscode/settings.json', 'ask'],
  ['`git restore --` of a secret', 'git restore -- .env', 'deny'],
  ['`git stash push --` of a secret', 'git stash push -- .env', 'deny'],
  ['`git rm --` of a secret', 'git rm -- .env', 'deny'],
  ['`git clean -f --` of a secret', 'git clean -f -- .env', 'deny'],
  ['`git checkout --` of a path outside', 'git checkout -- ../outside.txt', 'ask'],
];

describe('git pathspecs that rewrite working-tree files are judged as writes', () => {
  for (const [what, command, decision] of GIT_WORKTREE_WRITES) {
    test(what, () => {
      const d = decide(command);
      assert.equal(d.decision, decision, explain(d));
    });
  }
});

describe('git pathspecs rewriting workspace files stay allowed', () => {
  for (const command of ['git checkout -- src/a.ts', 'git restore -- src/a.ts', 'git stash push -- src']) {
    test(command, () => {
      const d = decide(command);
      assert.equal(d.decision, 'allow', explain(d));
    });
  }
});
