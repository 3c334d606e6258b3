// Finds out whether the sandbox can start on this machine, by trying it: bubblewrap present, user namespaces
// allowed (and not blocked by AppArmor), a sandboxed `true` runs, an overlay mounts in our own user
// namespace and keeps a write away from the real file, GNU tar reads overlay marks, socat forwards the proxy.
// Each check says what it found, and when it fails, the fix ("Warden: Show Sandbox Status").
import { spawn } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { linuxLaunch, type LinuxTools } from '../../core/sandbox/linuxLaunch';
import type { ResolvedSandboxSpec } from '../../core/sandbox/resolveSpec';
import type { SandboxSpec } from '../../core/sandbox/sandboxSpec';
import { summarizeChecks, type SandboxCheck, type SandboxStatus } from '../../core/sandbox/sandboxStatus';
import { allowedEnvironment } from '../childEnvironment';
import { opaqueFolders } from './layerCollector';
import { removeTree, type LayerStore, type RunLayer } from './layerStore';

export interface SandboxToolPaths extends LinuxTools {
  tar?: string;
}

export interface ProbeResult {
  status: SandboxStatus;
  /** The programs the runner uses (Linux), when found. */
  tools: Partial<SandboxToolPaths>;
}

const TRIAL_TIMEOUT_MS = 10_000;
const INSTALL_BWRAP =
  'Install bubblewrap: `sudo apt install bubblewrap` (Debian, Ubuntu), `sudo dnf install bubblewrap` (Fedora), ' +
  '`sudo pacman -S bubblewrap` (Arch).';

/** The first executable `name` on PATH (and the usual system folders). */
export function findExecutable(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = [...(env.PATH ?? '').split(delimiter), '/usr/local/bin', '/usr/bin', '/bin', '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
  error?: string;
}

export function runQuietly(file: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<Outcome> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const timer = setTimeout(() => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }, TRIAL_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr, error: error.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function readNumber(path: string): number | undefined {
  try {
    return Number(readFileSync(path, 'utf8').trim());
  } catch {
    return undefined;
  }
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.slice(0, 300) ?? '';
}

function namespaceFix(apparmorRestricts: boolean): string {
  return apparmorRestricts
    ? 'AppArmor restricts unprivileged user namespaces (Ubuntu 23.10 and later). Allow them for bubblewrap and ' +
        'unshare with an AppArmor profile (`userns,` rule for /usr/bin/bwrap and /usr/bin/unshare), or turn the ' +
        'restriction off: `sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0` (and add it to ' +
        '/etc/sysctl.d to keep it).'
    : 'Enable unprivileged user namespaces: `sudo sysctl -w kernel.unprivileged_userns_clone=1` (older Debian) ' +
        'or raise `user.max_user_namespaces`; in a container, run it with user namespaces allowed (e.g. Docker ' +
        '`--security-opt seccomp=unconfined`).';
}

function trialSpec(folder: string): ResolvedSandboxSpec {
  const spec: SandboxSpec = {
    mode: 'preview',
    platform: 'linux',
    workspaceFolders: [folder],
    homeDir: folder,
    hidden: [],
    readOnly: [],
    caches: [],
    allowedDomains: [],
    repositoryInternals: 'read-only',
    problems: [],
  };
  return { spec, workspaceFolders: [folder], hidden: [], readOnly: [], caches: [] };
}

async function probeLinux(store: LayerStore, env: NodeJS.ProcessEnv): Promise<ProbeResult> {
  const checks: SandboxCheck[] = [{ id: 'platform', ok: true, needed: 'sandbox', detail: 'Linux' }];
  const tools: Partial<SandboxToolPaths> = {
    bwrap: findExecutable('bwrap', env),
    unshare: findExecutable('unshare', env),
    bash: ['/bin/bash', '/usr/bin/bash', '/usr/local/bin/bash'].find(isExec),
    socat: findExecutable('socat', env),
    tar: findExecutable('tar', env),
  };
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;

  if (tools.bwrap === undefined) {
    checks.push({
      id: 'bwrap',
      ok: false,
      needed: 'sandbox',
      detail: 'bubblewrap (bwrap) is not installed.',
      fix: INSTALL_BWRAP,
    });
  } else {
    const version = await runQuietly(tools.bwrap, ['--version'], env);
    checks.push({
      id: 'bwrap',
      ok: version.code === 0,
      needed: 'sandbox',
      detail: `${firstLine(version.stdout) || 'bwrap'} at ${tools.bwrap}`,
      fix: version.code === 0 ? undefined : INSTALL_BWRAP,
    });
  }
  if (tools.bash === undefined) {
    checks.push({
      id: 'sandboxStart',
      ok: false,
      needed: 'sandbox',
      detail: 'bash is not installed: the command policy parses bash, so commands run only in bash.',
      fix: 'Install bash.',
    });
  }

  const maxNamespaces = readNumber('/proc/sys/user/max_user_namespaces');
  const unprivilegedClone = readNumber('/proc/sys/kernel/unprivileged_userns_clone');
  const apparmorRestricts = readNumber('/proc/sys/kernel/apparmor_restrict_unprivileged_userns') === 1;
  const namespacesOff = maxNamespaces === 0 || (uid !== 0 && unprivilegedClone === 0);
  checks.push({
    id: 'userNamespaces',
    ok: !namespacesOff,
    needed: 'sandbox',
    detail: namespacesOff
      ? 'User namespaces are disabled by the kernel settings.'
      : `User namespaces are enabled (max ${maxNamespaces ?? 'unknown'}).`,
    fix: namespacesOff ? namespaceFix(false) : undefined,
  });

  let started = false;
  if (tools.bwrap !== undefined && tools.bash !== undefined && !namespacesOff) {
    const trial = await runQuietly(
      tools.bwrap,
      [
        '--unshare-all',
        '--die-with-parent',
        '--new-session',
        '--uid',
        String(uid),
        '--gid',
        String(gid),
        '--ro-bind',
        '/',
        '/',
        '--dev',
        '/dev',
        '--proc',
        '/proc',
        '--tmpfs',
        '/tmp',
        '--',
        tools.bash,
        '--noprofile',
        '--norc',
        '-c',
        'exit 0',
      ],
      env,
    );
    started = trial.code === 0;
    checks.push({
      id: 'sandboxStart',
      ok: started,
      needed: 'sandbox',
      detail: started
        ? 'A sandboxed command starts.'
        : `A sandboxed command does not start: ${firstLine(trial.stderr || trial.error || '')}`,
      fix: started ? undefined : namespaceFix(apparmorRestricts),
    });
  }
  checks.push({
    id: 'apparmor',
    ok: !apparmorRestricts || started,
    needed: 'sandbox',
    detail: !apparmorRestricts
      ? 'AppArmor does not restrict user namespaces.'
      : started
        ? 'AppArmor restricts user namespaces, but bubblewrap is allowed to use them.'
        : 'AppArmor restricts unprivileged user namespaces.',
    fix: apparmorRestricts && !started ? namespaceFix(true) : undefined,
  });

  checks.push(...(await overlayChecks(store, tools, env, started, uid, gid, apparmorRestricts)));
  checks.push({
    id: 'socat',
    ok: tools.socat !== undefined,
    needed: 'network',
    detail:
      tools.socat !== undefined
        ? `socat at ${tools.socat} forwards the filtering proxy into the sandbox.`
        : 'socat is not installed: sandboxed commands get no network at all, even for allowed domains.',
    fix: tools.socat !== undefined ? undefined : 'Install socat (`sudo apt install socat`).',
  });
  return { status: summarizeChecks('linux', checks, rootNotes(uid)), tools };
}

function isExec(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function rootNotes(uid: number): string[] {
  return uid === 0
    ? [
        'Warden runs as root: inside the sandbox, workspace files owned by other users can be read as their ' +
          'permissions allow but not changed in preview mode (overlay cannot copy a file whose owner the ' +
          "sandbox's user namespace does not map).",
      ]
    : [];
}

const TAR_FIX = 'Install GNU tar (`sudo apt install tar`).';

/**
 * Mounts a layer over a scratch folder and, inside the sandbox, changes a file and empties a folder; then
 * checks the change stayed in the layer and that GNU tar reads the emptied folder's opaque mark — which
 * also proves the layer folder's file system keeps user extended attributes (tmpfs before Linux 6.6 does not).
 */
async function overlayChecks(
  store: LayerStore,
  tools: Partial<SandboxToolPaths>,
  env: NodeJS.ProcessEnv,
  started: boolean,
  uid: number,
  gid: number,
  apparmorRestricts: boolean,
): Promise<SandboxCheck[]> {
  const gnuTar = tools.tar === undefined ? undefined : await runQuietly(tools.tar, ['--version'], env);
  const tarFound = gnuTar !== undefined && gnuTar.code === 0 && /GNU tar/.test(gnuTar.stdout);
  if (!started || tools.unshare === undefined || tools.bwrap === undefined || tools.bash === undefined) {
    const detail =
      tools.unshare === undefined ? 'unshare (util-linux) is not installed.' : 'Needs a sandbox that starts.';
    const fix = tools.unshare === undefined ? 'Install util-linux.' : undefined;
    return [
      { id: 'overlay', ok: false, needed: 'preview', detail, fix },
      {
        id: 'tar',
        ok: false,
        needed: 'preview',
        detail: 'Needs a layer to read.',
        fix: tarFound ? undefined : TAR_FIX,
      },
    ];
  }
  let layer: RunLayer | undefined;
  // A name the mount table has to escape: a `mount -a` that reads fstab escapes otherwise fails here, before
  // any command could get a layer over the wrong folder.
  const scratch = join(store.root, `probe ${process.pid}-${Date.now()} é`);
  try {
    await store.prepare();
    await mkdir(join(scratch, 'emptied'), { recursive: true, mode: 0o700 });
    await writeFile(join(scratch, 'file'), 'real\n');
    await writeFile(join(scratch, 'emptied', 'old'), 'old\n');
    layer = await store.create([scratch]);
    const paths = {
      layers: layer.layers,
      mountTable: layer.mountTable,
      emptyFile: layer.emptyFile,
      emptyDir: layer.emptyDir,
    };
    const launch = linuxLaunch(trialSpec(scratch), paths, tools as LinuxTools, {
      command: 'echo layer > file && rm -rf emptied && mkdir emptied',
      cwd: scratch,
      uid,
      gid,
      statusFd: 2,
    });
    const trial = await runQuietly(launch.file, launch.args, env);
    const real = await readFile(join(scratch, 'file'), 'utf8');
    const upper = await readFile(join(layer.layers[0].upper, 'file'), 'utf8').catch(() => '');
    const ok = trial.code === 0 && real === 'real\n' && upper === 'layer\n';
    const error = trial.stderr.split('\n').find((line) => line !== '' && !line.startsWith('{')) ?? '';
    const overlay: SandboxCheck = {
      id: 'overlay',
      ok,
      needed: 'preview',
      detail: ok
        ? `Copy-on-write layers mount in a user namespace (layers in ${store.root}).`
        : `An overlay does not mount in a user namespace: ${firstLine(error) || `exit ${trial.code}`}`,
      fix: ok
        ? undefined
        : 'Preview needs Linux 5.11 or later with overlayfs, and a sandbox folder on a local file system ' +
          `(not overlayfs, NFS or FUSE). ${apparmorRestricts ? namespaceFix(true) : ''}`.trim(),
    };
    let marks = '';
    if (ok && tarFound) {
      marks = await opaqueFolders(tools.tar as string, layer.layers[0].upper, ['emptied'])
        .then((found) => (found.has('emptied') ? '' : 'the emptied folder carries no opaque mark'))
        .catch((failure: unknown) => (failure instanceof Error ? failure.message : String(failure)));
    }
    const tarOk = ok && tarFound && marks === '';
    const tar: SandboxCheck = {
      id: 'tar',
      ok: tarOk,
      needed: 'preview',
      detail: tarOk
        ? `${firstLine(gnuTar?.stdout ?? '')} reads the layer's opaque-folder marks.`
        : !tarFound
          ? 'GNU tar is not installed: the change set cannot tell which folders a command emptied.'
          : `The layer's opaque-folder marks cannot be read (${firstLine(marks) || 'no layer'}).`,
      fix: tarOk
        ? undefined
        : !tarFound
          ? TAR_FIX
          : 'Keep the sandbox folder on a file system with user extended attributes (ext4, xfs, btrfs).',
    };
    return [overlay, tar];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return [
      { id: 'overlay', ok: false, needed: 'preview', detail: `The layer folder cannot be used: ${message}` },
      { id: 'tar', ok: false, needed: 'preview', detail: 'Needs a layer to read.' },
    ];
  } finally {
    await removeTree(scratch);
    if (layer !== undefined) await store.remove(layer);
  }
}

async function probeDarwin(env: NodeJS.ProcessEnv): Promise<ProbeResult> {
  const checks: SandboxCheck[] = [
    { id: 'platform', ok: true, needed: 'sandbox', detail: 'macOS (the Seatbelt profile is untested in this project)' },
  ];
  const trial = await runQuietly('/usr/bin/sandbox-exec', ['-p', '(version 1)(allow default)', '/usr/bin/true'], env);
  checks.push({
    id: 'sandboxExec',
    ok: trial.code === 0,
    needed: 'sandbox',
    detail:
      trial.code === 0
        ? 'sandbox-exec runs a profile.'
        : `sandbox-exec does not run: ${firstLine(trial.stderr || trial.error || '')}`,
  });
  checks.push({
    id: 'overlay',
    ok: false,
    needed: 'preview',
    detail: 'Copy-on-write preview is Linux-only; on macOS commands can run in enforce mode.',
    fix: 'Set warden.sandbox.mode to "enforce".',
  });
  return { status: summarizeChecks('darwin', checks), tools: {} };
}

export async function probeSandbox(
  store: LayerStore,
  hostEnv: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): Promise<ProbeResult> {
  const env = allowedEnvironment(hostEnv, '/');
  if (platform === 'linux') return probeLinux(store, env);
  if (platform === 'darwin') return probeDarwin(env);
  const detail =
    platform === 'win32'
      ? 'Windows has no sandbox for commands: every command asks first.'
      : `No sandbox is available on ${platform}: every command asks first.`;
  return {
    status: summarizeChecks(platform, [{ id: 'platform', ok: false, needed: 'sandbox', detail }]),
    tools: {},
  };
}
