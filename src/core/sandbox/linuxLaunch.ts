// The command line that starts a command in the Linux sandbox. Copy-on-write layers need an overlay mount,
// which bubblewrap 0.8 (Debian 12, Ubuntu 24.04) cannot make: `unshare` enters a user and mount namespace of
// our own, one `mount -a` over a per-run mount table mounts every layer over its real path, then bwrap builds
// the sandbox on top — read-only root, private /tmp, no network, hidden files — and runs bash in it.
import type { ResolvedSandboxSpec } from './resolveSpec';

/** Where the proxy's Unix socket appears inside the sandbox, and the port its forwarder listens on there. */
export const SANDBOX_PROXY_SOCKET = '/tmp/.warden-proxy.sock';
export const SANDBOX_PROXY_PORT = 3128;

/**
 * `userxattr`: the only way in a user namespace (whiteouts are 0/0 character devices, opaque folders carry
 * `user.overlay.opaque`). `redirect_dir=nofollow`: a renamed folder is copied, so a rename is a delete and a
 * create in the layer. `metacopy=off`: a changed file's data is always in the layer.
 */
export const OVERLAY_OPTIONS = 'userxattr,redirect_dir=nofollow,metacopy=off';

export interface OverlayLayer {
  /** The real folder the layer is mounted over. */
  target: string;
  /** A symlink to `target` whose path has no `,` or `:` (overlay's option separators). */
  lower: string;
  upper: string;
  work: string;
}

export interface LinuxLaunchPaths {
  /** Workspace folders (preview mode only) and then caches, in the order of `layerTargets`. */
  layers: readonly OverlayLayer[];
  /** A file holding `overlayMountTable(layers, …)`; unused without layers. */
  mountTable: string;
  /** An empty read-only file and folder that stand in for hidden ones. */
  emptyFile: string;
  emptyDir: string;
  /** The proxy's Unix socket on the host; undefined: no network at all. */
  proxySocket?: string;
}

export interface LinuxTools {
  unshare: string;
  bwrap: string;
  bash: string;
  /** Needed with a proxy socket: forwards the sandbox's loopback port to it. */
  socat?: string;
}

export interface LinuxLaunchRequest {
  command: string;
  cwd: string;
  uid: number;
  gid: number;
  /**
   * The descriptor bwrap writes its JSON status to (child pid once started, then the exit code); none for a
   * long-running server whose spawner opens only stdin, stdout and stderr.
   */
  statusFd?: number;
}

export interface LinuxLaunch {
  file: string;
  args: string[];
}

/** The real folders that get a copy-on-write layer: the workspace in preview mode, and every tool cache. */
export function layerTargets(resolved: ResolvedSandboxSpec): string[] {
  return [...(resolved.spec.mode === 'preview' ? resolved.workspaceFolders : []), ...resolved.caches];
}

/** Characters overlay's option string cannot carry in a path. */
export function unsafeForOverlayOptions(path: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[,:\\\x00-\x1f]/.test(path);
}

/** Bytes an fstab field may hold as they are; every other byte is written as libmount's `\ooo` escape. */
const PLAIN_FSTAB_BYTE = /[A-Za-z0-9/._=,+-]/;

function fstabField(text: string): string {
  let field = '';
  for (const byte of new TextEncoder().encode(text)) {
    const char = String.fromCharCode(byte);
    field += byte < 0x80 && PLAIN_FSTAB_BYTE.test(char) ? char : `\\${byte.toString(8).padStart(3, '0')}`;
  }
  return field;
}

/**
 * The run's mount table: one fstab line per layer, so that one `mount -a` mounts them all (a `mount` process
 * per layer cost several milliseconds each). `mount -a` skips an entry whose source and target are mounted
 * already: `source` is fresh for every run, so that never happens (and the script checks that it did not).
 */
export function overlayMountTable(layers: readonly OverlayLayer[], source: string): string {
  return layers
    .map((layer, index) => {
      const options = `lowerdir=${layer.lower},upperdir=${layer.upper},workdir=${layer.work},${OVERLAY_OPTIONS}`;
      return `${fstabField(`${source}-${index}`)} ${fstabField(layer.target)} overlay ${fstabField(options)} 0 0\n`;
    })
    .join('');
}

// Overlay makes a `work` folder in the (new, empty) work folder of every layer it mounts: a layer whose work
// folder lacks one was not mounted, and its command must not run on the real folder.
const MOUNT_SCRIPT = [
  'set -e',
  'mount -a -t overlay -T "$1"',
  'n=$2; shift 2',
  'while [ "$n" -gt 0 ]; do',
  '  [ -d "$1/work" ] || { echo "warden: a copy-on-write layer did not mount" >&2; exit 1; }',
  '  shift; n=$((n - 1))',
  'done',
  'exec "$@"',
].join('\n');

// Starts the forwarder from the sandbox's own loopback port to the proxy socket, then runs the command in bash,
// which knows nothing of the forwarder (a `wait` in the command does not wait for it). With allowed domains, it
// first waits until the forwarder listens (reading /proc/net/tcp in a loop: a `sleep` per round would cost more
// than socat takes), so the first request cannot find it missing. With none, every request is refused anyway
// and the forwarder only reports it: the command does not wait for it.
function proxyScript(waitUntilListening: boolean): string {
  const port = SANDBOX_PROXY_PORT.toString(16).toUpperCase().padStart(4, '0');
  return [
    `"$1" TCP-LISTEN:${SANDBOX_PROXY_PORT},bind=127.0.0.1,reuseaddr,fork UNIX-CONNECT:${SANDBOX_PROXY_SOCKET} ` +
      '>/dev/null 2>&1 &',
    ...(waitUntilListening
      ? [
          'i=0',
          'while [ "$i" -lt 100000 ]; do',
          '  while read -r _ local _ state _; do',
          `    [ "$local $state" = "0100007F:${port} 0A" ] && break 2`,
          '  done < /proc/net/tcp',
          '  i=$((i + 1))',
          'done',
        ]
      : []),
    'exec "$0" --noprofile --norc -c "$2"',
  ].join('\n');
}

/** The proxy variables a command gets when it may reach allowed hosts. */
export function proxyEnvironment(): Record<string, string> {
  const url = `http://127.0.0.1:${SANDBOX_PROXY_PORT}`;
  const local = 'localhost,127.0.0.1,::1';
  return {
    HTTP_PROXY: url,
    HTTPS_PROXY: url,
    ALL_PROXY: url,
    http_proxy: url,
    https_proxy: url,
    all_proxy: url,
    NO_PROXY: local,
    no_proxy: local,
  };
}

export function bwrapArguments(
  resolved: ResolvedSandboxSpec,
  paths: LinuxLaunchPaths,
  tools: LinuxTools,
  request: LinuxLaunchRequest,
): string[] {
  const args = [
    '--unshare-all',
    '--die-with-parent',
    // A new session: the command cannot push keystrokes into a terminal (TIOCSTI).
    '--new-session',
    '--uid',
    String(request.uid),
    '--gid',
    String(request.gid),
    ...(request.statusFd === undefined ? [] : ['--json-status-fd', String(request.statusFd)]),
    '--ro-bind',
    '/',
    '/',
    '--dev',
    '/dev',
    '--proc',
    '/proc',
    // Before any bind below /tmp (a workspace may live there).
    '--tmpfs',
    '/tmp',
  ];
  for (const folder of resolved.workspaceFolders) args.push('--bind', folder, folder);
  for (const cache of resolved.caches) args.push('--bind', cache, cache);
  for (const mount of resolved.readOnly) args.push('--ro-bind', mount.path, mount.path);
  for (const mount of resolved.hidden) {
    args.push('--ro-bind', mount.kind === 'directory' ? paths.emptyDir : paths.emptyFile, mount.path);
  }
  const proxied = paths.proxySocket !== undefined && tools.socat !== undefined;
  if (proxied) args.push('--bind', paths.proxySocket as string, SANDBOX_PROXY_SOCKET);
  args.push('--chdir', request.cwd, '--');
  if (proxied) {
    // The forwarder's few lines are POSIX sh (dash starts faster than bash); the command itself runs in bash.
    const wait = resolved.spec.allowedDomains.length > 0;
    args.push('/bin/sh', '-c', proxyScript(wait), tools.bash, tools.socat as string, request.command);
  } else {
    args.push(tools.bash, '--noprofile', '--norc', '-c', request.command);
  }
  return args;
}

export function linuxLaunch(
  resolved: ResolvedSandboxSpec,
  paths: LinuxLaunchPaths,
  tools: LinuxTools,
  request: LinuxLaunchRequest,
): LinuxLaunch {
  const bwrap = bwrapArguments(resolved, paths, tools, request);
  if (paths.layers.length === 0) return { file: tools.bwrap, args: bwrap };
  const works = paths.layers.map((layer) => layer.work);
  return {
    file: tools.unshare,
    args: [
      '--user',
      '--map-root-user',
      '--mount',
      '--propagation',
      'private',
      '--',
      '/bin/sh',
      '-c',
      MOUNT_SCRIPT,
      'warden-sandbox',
      paths.mountTable,
      String(paths.layers.length),
      ...works,
      tools.bwrap,
      ...bwrap,
    ],
  };
}
