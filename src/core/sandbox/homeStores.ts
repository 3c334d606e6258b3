// What a sandboxed command may not see or change outside the workspace: the one list of credential stores in the
// home directory (hidden: the command sees an empty file or folder), of tool caches (a throw-away layer on
// Linux, read-only on macOS), and of the host's service-socket folders. Home paths are relative, '/'-separated.

export interface HomeEntry {
  path: string;
  /** Why it is listed, shown in the sandbox status. */
  what: string;
}

/** Credential stores on every POSIX platform. A missing entry is simply skipped. */
const CREDENTIAL_STORES_POSIX: readonly HomeEntry[] = [
  { path: '.ssh', what: 'SSH keys' },
  { path: '.gnupg', what: 'GnuPG keys' },
  { path: '.aws', what: 'AWS credentials' },
  { path: '.azure', what: 'Azure CLI tokens' },
  { path: '.config/gcloud', what: 'Google Cloud credentials' },
  { path: '.kube', what: 'Kubernetes credentials' },
  { path: '.docker/config.json', what: 'Docker registry credentials' },
  { path: '.docker/run', what: 'Docker Desktop socket' },
  { path: '.netrc', what: 'netrc passwords' },
  { path: '.git-credentials', what: 'git credentials' },
  { path: '.config/git/credentials', what: 'git credentials' },
  { path: '.npmrc', what: 'npm tokens' },
  { path: '.yarnrc', what: 'yarn tokens' },
  { path: '.yarnrc.yml', what: 'yarn tokens' },
  { path: '.pypirc', what: 'PyPI tokens' },
  { path: '.gem/credentials', what: 'RubyGems tokens' },
  { path: '.cargo/credentials', what: 'crates.io tokens' },
  { path: '.cargo/credentials.toml', what: 'crates.io tokens' },
  { path: '.m2/settings.xml', what: 'Maven server passwords' },
  { path: '.gradle/gradle.properties', what: 'Gradle credentials' },
  { path: '.terraform.d/credentials.tfrc.json', what: 'Terraform Cloud tokens' },
  { path: '.vault-token', what: 'Vault token' },
  { path: '.pgpass', what: 'PostgreSQL passwords' },
  { path: '.my.cnf', what: 'MySQL passwords' },
  { path: '.config/gh', what: 'GitHub CLI tokens' },
  { path: '.config/hub', what: 'hub tokens' },
  { path: '.config/op', what: '1Password CLI' },
  { path: '.password-store', what: 'pass store' },
  { path: '.local/share/keyrings', what: 'GNOME keyring' },
  // Shell and REPL histories hold pasted tokens and passwords.
  { path: '.bash_history', what: 'shell history' },
  { path: '.zsh_history', what: 'shell history' },
  { path: '.local/share/fish/fish_history', what: 'shell history' },
  { path: '.python_history', what: 'REPL history' },
  { path: '.node_repl_history', what: 'REPL history' },
  { path: '.psql_history', what: 'REPL history' },
  { path: '.mysql_history', what: 'REPL history' },
  // Browser profiles: cookies and saved passwords.
  { path: '.mozilla', what: 'Firefox profile' },
  { path: '.config/google-chrome', what: 'Chrome profile' },
  { path: '.config/chromium', what: 'Chromium profile' },
  { path: '.config/BraveSoftware', what: 'Brave profile' },
  // VS Code keeps SecretStorage (Warden's API key among it) under globalStorage; without a keyring its
  // encryption key is not secret.
  { path: '.config/Code/User/globalStorage', what: 'VS Code secret storage' },
  { path: '.config/Code - Insiders/User/globalStorage', what: 'VS Code secret storage' },
  { path: '.config/VSCodium/User/globalStorage', what: 'VSCodium secret storage' },
  { path: '.config/Cursor/User/globalStorage', what: 'Cursor secret storage' },
  { path: '.vscode-server/data/User/globalStorage', what: 'VS Code server secret storage' },
  { path: '.local/share/code-server/User/globalStorage', what: 'code-server secret storage' },
];

const CREDENTIAL_STORES_DARWIN: readonly HomeEntry[] = [
  { path: 'Library/Keychains', what: 'macOS keychains' },
  { path: 'Library/Cookies', what: 'cookies' },
  { path: 'Library/Application Support/Google/Chrome', what: 'Chrome profile' },
  { path: 'Library/Application Support/Firefox', what: 'Firefox profile' },
  { path: 'Library/Application Support/Code/User/globalStorage', what: 'VS Code secret storage' },
  { path: 'Library/Application Support/Cursor/User/globalStorage', what: 'Cursor secret storage' },
];

/**
 * Tool caches. Package managers and compilers write here during ordinary builds, so a read-only cache
 * breaks them; on Linux each gets a throw-away copy-on-write layer (reads hit the real cache, writes are
 * discarded when the command ends). macOS has no such layer: there they are read-only.
 */
const TOOL_CACHES_POSIX: readonly HomeEntry[] = [
  { path: '.npm', what: 'npm cache' },
  { path: '.cache', what: 'XDG cache (pip, yarn, node-gyp, go-build…)' },
  { path: '.yarn', what: 'yarn cache' },
  { path: '.local/share/pnpm', what: 'pnpm store' },
  { path: '.pnpm-store', what: 'pnpm store' },
  { path: '.bun/install/cache', what: 'bun cache' },
  { path: '.cargo/registry', what: 'cargo registry' },
  { path: '.cargo/git', what: 'cargo git checkouts' },
  { path: 'go/pkg/mod', what: 'Go module cache' },
  { path: '.m2/repository', what: 'Maven repository' },
  { path: '.gradle/caches', what: 'Gradle caches' },
];

const TOOL_CACHES_DARWIN: readonly HomeEntry[] = [{ path: 'Library/Caches', what: 'macOS caches' }];

/**
 * Folders of the host's service sockets (D-Bus, systemd, Docker, VS Code's IPC, keyring and SSH agents). A Unix
 * socket is reached through the file system, not the network, so an empty network namespace does not stop a
 * command from asking the session bus or Docker to run something outside the sandbox: these folders are hidden
 * (Linux; on macOS the Seatbelt profile denies connecting to any socket).
 */
const SERVICE_SOCKET_FOLDERS_LINUX: readonly string[] = ['/run', '/var/run'];

export type SandboxPlatform = 'linux' | 'darwin';

export function serviceSocketFolders(platform: SandboxPlatform): readonly string[] {
  return platform === 'linux' ? SERVICE_SOCKET_FOLDERS_LINUX : [];
}

export function credentialStores(platform: SandboxPlatform): readonly HomeEntry[] {
  return platform === 'darwin' ? [...CREDENTIAL_STORES_POSIX, ...CREDENTIAL_STORES_DARWIN] : CREDENTIAL_STORES_POSIX;
}

export function toolCaches(platform: SandboxPlatform): readonly HomeEntry[] {
  return platform === 'darwin' ? [...TOOL_CACHES_POSIX, ...TOOL_CACHES_DARWIN] : TOOL_CACHES_POSIX;
}
