// Files of about 20,000 lines in the shapes real projects have, generated (nothing downloaded) for the edit engine
// benchmark: tab-indented JavaScript with JSDoc, Python, Kubernetes YAML, a package-lock-like JSON, and Markdown
// prose with typographic punctuation, non-breaking spaces and CRLF line endings. Each is built from repeated units
// whose identifiers differ, as real code repeats its shapes, so an edit needs surrounding lines to be unique.

export interface BenchFile {
  name: string;
  path: string;
  lines: string[];
  eol: '\n' | '\r\n';
  /** Lines that hold their unit's identifier: a quote that includes one is unique in the file. */
  anchors: number[];
}

export const TARGET_LINES = 20_000;

/** A small deterministic generator (mulberry32), so every run edits the same places. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['anchor', 'border', 'cursor', 'drawer', 'editor', 'filter', 'gutter', 'header', 'ledger', 'marker'];

function build(
  name: string,
  path: string,
  eol: '\n' | '\r\n',
  unit: (i: number, next: () => number) => string[],
  prologue: string[] = [],
  epilogue: string[] = [],
): BenchFile {
  const next = random(name.length * 7919);
  const lines = [...prologue];
  const anchors: number[] = [];
  const id = /\d{3,}/;
  for (let i = 1000; lines.length < TARGET_LINES - epilogue.length; i++) {
    const start = lines.length;
    const body = unit(i, next);
    body.forEach((line, k) => {
      if (id.test(line) && line.includes(String(i))) anchors.push(start + k);
    });
    lines.push(...body);
  }
  lines.push(...epilogue);
  return { name, path, lines, eol, anchors };
}

const hex = (next: () => number) =>
  Math.floor(next() * 0xffffff)
    .toString(16)
    .padStart(6, '0');

function javascript(): BenchFile {
  return build('javascript', 'src/widgets.js', '\n', (i, next) => [
    '/**',
    ` * Colorize widget ${i}: the CSS colour for its state.`,
    ' *',
    ' * @param {string} state - the widget state',
    ' * @returns {string} the colour',
    ' */',
    `function colorize${i}(state) {`,
    '\tconst palette = {',
    `\t\tidle: '#${hex(next)}',`,
    `\t\tbusy: '#${hex(next)}',`,
    '\t};',
    '\tif (!state) {',
    '\t\treturn palette.idle;',
    '\t}',
    `\treturn palette[state] ?? \`rgb(${i % 255}, \${state.length}, 0)\`;`,
    '}',
    '',
    `class Widget${i} extends Base {`,
    '\t/**',
    `\t * Creates widget ${i} from its options.`,
    '\t */',
    '\tconstructor(options) {',
    '\t\tsuper(options);',
    `\t\tthis.name = 'widget-${i}';`,
    '\t\tthis.total = options.items',
    '\t\t\t.filter((item) => item.enabled)',
    '\t\t\t.reduce((sum, item) => sum + item.price, 0);',
    '\t}',
    '}',
    '',
  ]);
}

function python(): BenchFile {
  return build('python', 'app/orders.py', '\n', (i) => [
    `class OrderService${i}:`,
    `    """Loads and validates the orders of region ${i}.`,
    '',
    '    The service caches orders — it never writes them.',
    '    """',
    '',
    '    def __init__(self, repository, clock):',
    '        self.repository = repository',
    '        self.clock = clock',
    '        self.cache = {}',
    '',
    `    def load_order_${i}(self, order_id):`,
    '        if not order_id:',
    '            raise ValueError("missing id")',
    '        cached = self.cache.get(order_id)',
    '        if cached is not None:',
    '            return cached',
    '        order = self.repository.find(order_id)',
    '        self.cache[order_id] = order',
    '        return order',
    '',
    `    def total_${i}(self, order):`,
    '        total = sum(item.price * item.quantity for item in order.items)',
    '        return round(total, 2)',
    '',
    '',
  ]);
}

function yaml(): BenchFile {
  return build('yaml', 'deploy/services.yaml', '\n', (i, next) => [
    '---',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: service-${i}`,
    '  labels:',
    `    app: service-${i}`,
    '    tier: backend',
    'spec:',
    `  replicas: ${1 + Math.floor(next() * 5)}`,
    '  selector:',
    '    matchLabels:',
    `      app: service-${i}`,
    '  template:',
    '    metadata:',
    '      labels:',
    `        app: service-${i}`,
    '    spec:',
    '      containers:',
    `        - name: service-${i}`,
    `          image: "registry.example.com/service-${i}:1.${Math.floor(next() * 40)}.0"`,
    '          ports:',
    `            - containerPort: ${8000 + (i % 1000)}`,
    '',
    '          env:',
    '            - name: LOG_LEVEL',
    '              value: "info"',
    '',
  ]);
}

function json(): BenchFile {
  const integrity = (next: () => number) =>
    Array.from(
      { length: 64 },
      () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'[Math.floor(next() * 64)],
    ).join('');
  return build(
    'json',
    'package-lock.json',
    '\n',
    (i, next) => {
      const version = `1.${Math.floor(next() * 30)}.${Math.floor(next() * 10)}`;
      return [
        `    "node_modules/pkg-${i}": {`,
        `      "version": "${version}",`,
        `      "resolved": "https://registry.npmjs.org/pkg-${i}/-/pkg-${i}-${version}.tgz",`,
        `      "integrity": "sha512-${integrity(next)}",`,
        '      "dev": true,',
        '      "license": "MIT",',
        '      "dependencies": {',
        `        "dep-${(i * 7) % 997}": "^2.${i % 13}.0"`,
        '      },',
        '      "engines": {',
        '        "node": ">=18"',
        '      }',
        '    },',
      ];
    },
    ['{', '  "name": "bench",', '  "lockfileVersion": 3,', '  "packages": {'],
    ['    "": {}', '  }', '}'],
  );
}

function markdown(): BenchFile {
  return build('markdown', 'docs/guide.md', '\r\n', (i, next) => {
    const word = WORDS[Math.floor(next() * WORDS.length)];
    return [
      `## Section ${i}: the “${word}” setting`,
      '',
      `The ${word} setting — introduced in release ${i} — decides how widgets behave. It’s on by default… ` +
        `unless you set \`${word}.enabled\` to \`false\`, which the team calls “quiet mode”.`,
      '',
      `- Use “${word}” for the first case; it’s the one most people need.`,
      '- Don’t combine it with the legacy mode – the two fight over the same key.',
      `- Speeds are in km/h: 100\u00a0km/h is the limit for section ${i}.`,
      '',
      '```js',
      `const ${word}${i} = configure({ mode: "${word}" });`,
      '```',
      '',
    ];
  });
}

export function benchFiles(): BenchFile[] {
  return [javascript(), python(), yaml(), json(), markdown()];
}
