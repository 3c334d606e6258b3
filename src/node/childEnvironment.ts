// The environment a child process gets: an explicit allowlist, never the extension host's own environment.
// The host's environment holds API keys, tokens, NODE_OPTIONS and VSCODE_* IPC handles; a command the model
// asked for must see none of them (a prompt-injected `env | curl …` would otherwise exfiltrate them).

const POSIX_KEYS = ['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'LANGUAGE', 'TMPDIR', 'TZ'];
const WINDOWS_KEYS = [
  'PATH',
  'PATHEXT',
  'SystemRoot',
  'SystemDrive',
  'windir',
  'ComSpec',
  'USERPROFILE',
  'USERNAME',
  'HOMEDRIVE',
  'HOMEPATH',
  'APPDATA',
  'LOCALAPPDATA',
  'ProgramData',
  'ProgramFiles',
  'ProgramFiles(x86)',
  'TEMP',
  'TMP',
  'OS',
  'NUMBER_OF_PROCESSORS',
  'PROCESSOR_ARCHITECTURE',
];

/** Variables Warden sets itself, whatever the host has. */
function fixedVariables(cwd: string): Record<string, string> {
  return {
    TERM: 'xterm-256color',
    PWD: cwd,
    // stdin is closed: a credential prompt would only hang until the timeout.
    GIT_TERMINAL_PROMPT: '0',
  };
}

export function allowedEnvironment(
  source: NodeJS.ProcessEnv,
  cwd: string,
  platform: NodeJS.Platform = process.platform,
): Record<string, string> {
  const windows = platform === 'win32';
  const keys = windows ? WINDOWS_KEYS : POSIX_KEYS;
  // Windows variable names are case-insensitive (Path, PATH); POSIX ones are not.
  const wanted = new Map(keys.map((key) => [windows ? key.toUpperCase() : key, key]));
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined) continue;
    const lookup = windows ? name.toUpperCase() : name;
    const canonical = wanted.get(lookup);
    if (canonical !== undefined) env[canonical] = value;
    else if (!windows && /^LC_[A-Z_]+$/.test(name)) env[name] = value;
  }
  return { ...env, ...fixedVariables(cwd) };
}
