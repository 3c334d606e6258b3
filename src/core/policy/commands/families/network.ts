// Network tools: downloaders (whose output piped into an interpreter is download-and-execute), and the
// transfer tools whose local files go through the read and write policy.
import { directoryRead, type Analysis } from '../analysis';
import { has, optionTable, scanOptions, type Scan } from '../options';
import { sliceWord, type Word } from '../parse/words';
import { each, type CommandFamily } from '../spec';

const CURL_TABLE = optionTable({
  flags: 'sSLfIikvqgGjNnZ#0123456:lORJp',
  values: {
    o: 'write',
    D: 'write',
    c: 'write',
    T: 'read',
    K: 'read',
    d: 'value',
    F: 'value',
    b: 'value',
    H: 'value',
    A: 'value',
    e: 'value',
    u: 'value',
    U: 'value',
    X: 'value',
    m: 'value',
    x: 'value',
    r: 'value',
    w: 'value',
    E: 'read',
    C: 'value',
    y: 'value',
    Y: 'value',
    z: 'value',
    t: 'value',
    Q: 'value',
    P: 'value',
    h: 'optional',
  },
  longValues: {
    output: 'write',
    'output-dir': 'write',
    'dump-header': 'write',
    'cookie-jar': 'write',
    trace: 'write',
    'trace-ascii': 'write',
    stderr: 'write',
    libcurl: 'write',
    'etag-save': 'write',
    hsts: 'write',
    'alt-svc': 'write',
    'upload-file': 'read',
    config: 'read',
    'netrc-file': 'read',
    cert: 'read',
    key: 'read',
    cacert: 'read',
    capath: 'read',
    'etag-compare': 'read',
    'data-binary': 'value',
    'data-urlencode': 'value',
    data: 'value',
    'data-ascii': 'value',
    json: 'value',
    form: 'value',
    'form-string': 'value',
    cookie: 'value',
    header: 'value',
    'user-agent': 'value',
    referer: 'value',
    user: 'value',
    request: 'value',
    'max-time': 'value',
    'connect-timeout': 'value',
    retry: 'value',
    proxy: 'value',
    'write-out': 'value',
    range: 'value',
    url: 'value',
    resolve: 'value',
    'data-raw': 'value',
    'oauth2-bearer': 'value',
    variable: 'value',
    'expand-data': 'value',
  },
  long:
    'silent show-error location fail head insecure verbose include compressed remote-name remote-name-all ' +
    'remote-header-name create-dirs progress-bar no-progress-meter http1.1 http2 ipv4 ipv6 globoff get ' +
    'fail-with-body no-buffer',
  risky: {
    '-K': 'reads options (which can name any file or program) from a config file',
    '--config': 'reads options (which can name any file or program) from a config file',
  },
  strict: false,
});

function curlCommand(args: readonly Word[], out: Analysis): void {
  const table = CURL_TABLE;
  const scan = scanOptions(args, table, out);
  // `-d @file`, `-F name=@file`, `--json @file`, `-T file` send a local file: a read (and an exfiltration path).
  for (const [option, values] of scan.values) {
    for (const v of values) {
      const file = curlFileArgument(option, v);
      if (file) out.reads.push(file);
    }
  }
  if (has(scan, '-O', '--remote-name', '--remote-name-all', '-J', '--remote-header-name')) {
    out.risks.push({ rule: 'write-unresolvable', reason: 'The file name of `curl -O` comes from the server.' });
  }
  for (const w of scan.operands) {
    if (/^file:/i.test(w.value)) out.reads.push(fileUrlWord(w));
    else out.inert.add(w);
  }
}

function curlFileArgument(option: string, v: Word): Word | undefined {
  const text = v.value;
  let at = -1;
  if (/^(-d|--data|--data-binary|--data-ascii|--json)$/.test(option)) at = text.startsWith('@') ? 0 : -1;
  else if (option === '--data-urlencode') {
    const index = text.indexOf('@');
    at = index >= 0 && !text.slice(0, index).includes('=') ? index : -1;
  } else if (option === '-F' || option === '--form') {
    const match = /=[@<]/.exec(text);
    at = match ? match.index + 1 : -1;
  } else if ((option === '-b' || option === '--cookie') && !text.includes('=')) return v;
  if (at < 0) return undefined;
  const file = sliceWord(v, at + 1);
  const semicolon = file.value.indexOf(';');
  const path =
    semicolon >= 0 ? { ...file, value: file.value.slice(0, semicolon), shape: file.shape.slice(0, semicolon) } : file;
  return path.value === '-' || path.value === '' ? undefined : path;
}

function fileUrlWord(w: Word): Word {
  const path = w.value.replace(/^file:(\/\/[^/]*)?/i, '');
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // keep as written
  }
  return { ...sliceWord(w, 0), value: decoded || '/', raw: w.raw };
}

const WGET_TABLE = optionTable({
  flags: 'qvcNrpkKmbnSxEFH46',
  values: {
    O: 'write',
    o: 'write',
    a: 'write',
    P: 'write',
    i: 'read',
    e: 'value',
    U: 'value',
    t: 'value',
    T: 'value',
    l: 'value',
    A: 'value',
    R: 'value',
    D: 'value',
    B: 'value',
    w: 'value',
    Q: 'value',
  },
  longValues: {
    'output-document': 'write',
    'output-file': 'write',
    'append-output': 'write',
    'directory-prefix': 'write',
    'input-file': 'read',
    'post-file': 'read',
    'body-file': 'read',
    'load-cookies': 'read',
    'save-cookies': 'write',
    certificate: 'read',
    'private-key': 'read',
    'ca-certificate': 'read',
    header: 'value',
    'user-agent': 'value',
    tries: 'value',
    timeout: 'value',
    'post-data': 'value',
    'body-data': 'value',
    method: 'value',
    user: 'value',
    password: 'value',
    'http-user': 'value',
    'http-password': 'value',
    level: 'value',
    accept: 'value',
    reject: 'value',
    domains: 'value',
    execute: 'value',
    config: 'read',
    'use-askpass': 'value',
  },
  long:
    'quiet verbose continue timestamping recursive page-requisites convert-links mirror background no-verbose ' +
    'spider no-check-certificate no-clobber no-parent',
  risky: {
    '-e': 'runs a wgetrc command (which can set any option)',
    '--execute': 'runs a wgetrc command (which can set any option)',
    '--config': 'reads options from a config file',
    '--use-askpass': 'runs a program',
  },
  strict: false,
});

function wgetCommand(args: readonly Word[], out: Analysis): void {
  const table = WGET_TABLE;
  const scan = scanOptions(args, table, out);
  for (const w of scan.values.get('-O') ?? []) if (w.value === '-') out.writes.splice(out.writes.indexOf(w), 1);
  for (const w of scan.values.get('--output-document') ?? [])
    if (w.value === '-') out.writes.splice(out.writes.indexOf(w), 1);
  if (!scan.values.has('-O') && !scan.values.has('--output-document') && !has(scan, '--spider')) {
    out.risks.push({ rule: 'write-unresolvable', reason: 'wget saves under a name that comes from the server.' });
  }
  for (const w of scan.operands) out.inert.add(w);
}

const REMOTE = /^[^/:]*[^/\\:]:/;

function isRemote(w: Word): boolean {
  return (
    !w.value.startsWith('/') && !w.value.startsWith('./') && REMOTE.test(w.value) && !/^[A-Za-z]:[\\/]/.test(w.value)
  );
}

const RSYNC_TABLE = optionTable({
  flags: 'vqcarRbuldLkKHpEAXogDtOJUNSnWxCyzhPi0468',
  values: { f: 'value', T: 'write', B: 'value', M: 'value' },
  longValues: {
    'files-from': 'names',
    'exclude-from': 'read',
    'include-from': 'read',
    'password-file': 'read',
    'log-file': 'write',
    'write-batch': 'write',
    'only-write-batch': 'write',
    'read-batch': 'read',
    exclude: 'pattern',
    include: 'pattern',
    filter: 'pattern',
    'temp-dir': 'write',
    'partial-dir': 'value',
    'backup-dir': 'write',
    suffix: 'value',
    chmod: 'value',
    chown: 'value',
    'max-size': 'value',
    'min-size': 'value',
    bwlimit: 'value',
    timeout: 'value',
    'compare-dest': 'read',
    'copy-dest': 'read',
    'link-dest': 'read',
    port: 'value',
    'out-format': 'value',
  },
  risky: {
    '-e:': 'chooses the remote shell program',
    '--rsh:': 'chooses the remote shell program',
    '--rsync-path:': 'runs a program on the remote side',
    '-M:': 'passes options to the remote side',
    '--remote-option:': 'passes options to the remote side',
  },
  strict: false,
});

function rsyncCommand(args: readonly Word[], out: Analysis): void {
  const table = RSYNC_TABLE;
  const scan = scanOptions(args, table, out);
  const ops = scan.operands;
  const dest = ops[ops.length - 1];
  if (has(scan, '-r', '--recursive', '-a', '--archive')) out.directoryRead = directoryRead(false);
  for (const [index, w] of ops.entries()) {
    if (isRemote(w)) {
      out.inert.add(w);
      out.risks.push({ rule: 'remote-transfer', reason: `\`${w.value}\` is on another machine.` });
      continue;
    }
    if (index === ops.length - 1 && ops.length > 1) out.writes.push(w);
    else out.reads.push(w);
  }
  if (dest && ops.length > 1 && !isRemote(dest)) {
    for (const source of ops.slice(0, -1)) {
      if (source.value.endsWith('/'))
        out.risks.push({
          rule: 'copy-contents',
          reason: `Copying the contents of \`${source.value}\` writes files whose names are not on the command line.`,
        });
    }
  }
}

const SSH_RISKY_CONFIG = new RegExp(
  `^(${[
    'ProxyCommand',
    'LocalCommand',
    'PermitLocalCommand',
    'KnownHostsCommand',
    'Match',
    'Include',
    'ProxyUseFdpass',
    'RemoteCommand',
    'PKCS11Provider',
    'SecurityKeyProvider',
  ].join('|')})\\b`,
  'i',
);

function sshOptions(scan: Scan, out: Analysis): void {
  for (const v of scan.values.get('-o') ?? []) {
    if (v.dynamic || SSH_RISKY_CONFIG.test(v.value))
      out.risks.push({ rule: 'risky-option', reason: `\`-o ${v.value}\` runs a local program.` });
  }
}

const SCP_TABLE = optionTable({
  flags: '346ABCpqrTvOR',
  values: { c: 'value', F: 'read', i: 'read', J: 'value', l: 'value', o: 'value', P: 'value', D: 'value', X: 'value' },
  risky: { '-S:': 'chooses the program used for the connection', '-F:': 'reads an ssh config that can run programs' },
  strict: false,
});

function scpCommand(args: readonly Word[], out: Analysis): void {
  const scan = scanOptions(args, SCP_TABLE, out);
  sshOptions(scan, out);
  if (has(scan, '-r')) out.directoryRead = directoryRead(false);
  const ops = scan.operands;
  for (const [index, w] of ops.entries()) {
    if (isRemote(w)) {
      out.inert.add(w);
      out.risks.push({ rule: 'remote-transfer', reason: `\`${w.value}\` is on another machine.` });
    } else if (index === ops.length - 1 && ops.length > 1) out.writes.push(w);
    else out.reads.push(w);
  }
}

const SSH_TABLE = optionTable({
  flags: '46AaCfGgKkMNnqsTtVvXxYy',
  values: {
    B: 'value',
    b: 'value',
    c: 'value',
    D: 'value',
    E: 'write',
    e: 'value',
    F: 'read',
    I: 'value',
    i: 'read',
    J: 'value',
    L: 'value',
    l: 'value',
    m: 'value',
    O: 'value',
    o: 'value',
    p: 'value',
    Q: 'value',
    R: 'value',
    S: 'value',
    W: 'value',
    w: 'value',
  },
  risky: { '-F:': 'reads an ssh config that can run programs' },
  strict: false,
});

function sshCommand(args: readonly Word[], out: Analysis): void {
  const scan = scanOptions(args, SSH_TABLE, out, true);
  sshOptions(scan, out);
  for (const w of scan.operands) out.inert.add(w);
  if (scan.operands.length > 1)
    out.risks.push({
      rule: 'remote-command',
      reason: 'The command runs on another machine, where Warden cannot check it.',
    });
}

export const NETWORK_TOOLS: CommandFamily = {
  title: 'network tools',
  kind: 'network',
  commands: {
    // Entries for downloaders would let anything be fetched or sent: never offered.
    curl: { custom: curlCommand, downloads: true, offer: 'never' },
    wget: { custom: wgetCommand, downloads: true, offer: 'never' },
    ...each('fetch http https xh aria2c lwp-download lwp-request GET httpie', { downloads: true }),
    ...each('rsync', { custom: rsyncCommand }),
    ...each('scp sftp', { custom: scpCommand }),
    // An entry for ssh would allow any command on the other machine: never offered.
    ssh: {
      custom: sshCommand,
      offer: 'never',
      // The remote command asks anyway; what it would run that is denied here is refused there too.
      unwrap: (step) => {
        step.judgeSelf();
        step.judgePossibleCommands({ strings: true });
        return 'done';
      },
    },
  },
};
