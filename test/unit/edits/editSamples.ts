// Small files in the shapes the edit engine meets, written for the tests: each has a line worth editing (`target`)
// and lines around it that must come back byte for byte.

export interface Sample {
  name: string;
  path: string;
  text: string;
  /** 0-based first and last line of the region the tests quote, and the line in it they change. */
  region: [number, number];
  target: number;
}

const lines = (...all: string[]) => all.join('\n') + '\n';

export const JAVASCRIPT: Sample = {
  name: 'tab-indented JavaScript with JSDoc',
  path: 'src/colors.js',
  text: lines(
    "import { palette } from './palette.js';",
    '',
    'export class Colorizer {',
    '\t/**',
    '\t * Colorize a state.',
    '\t *',
    '\t * @param {string} state - the widget state',
    '\t */',
    '\tcolorize(state) {',
    "\t\tconst base = palette[state] ?? palette['idle'];",
    '\t\treturn this.options.dark',
    '\t\t\t? darken(base, 0.2)',
    '\t\t\t: base;',
    '\t}',
    '}',
  ),
  region: [3, 13],
  target: 11,
};

export const PYTHON: Sample = {
  name: 'Python',
  path: 'app/orders.py',
  text: lines(
    'import logging',
    '',
    '',
    'class OrderService:',
    '    """Loads orders — it never writes them."""',
    '',
    '    def __init__(self, repository):',
    '        self.repository = repository',
    '        self.cache = {}',
    '',
    '    def load(self, order_id):',
    '        if not order_id:',
    '            raise ValueError("missing id")',
    '        return self.repository.find(order_id)',
  ),
  region: [10, 13],
  target: 12,
};

export const YAML: Sample = {
  name: 'YAML',
  path: 'deploy/service.yaml',
  text: lines(
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: checkout',
    '',
    'spec:',
    '  replicas: 2',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: checkout',
    '          image: "registry.example.com/checkout:1.4.0"',
    '',
    '          env:',
    '            - name: LOG_LEVEL',
    '              value: "info"',
  ),
  region: [9, 15],
  target: 15,
};

export const JSON_FILE: Sample = {
  name: 'JSON',
  path: 'package.json',
  text: lines(
    '{',
    '  "name": "checkout",',
    '  "version": "1.4.0",',
    '  "scripts": {',
    '    "build": "tsc -p .",',
    '    "greet": "echo \\"hello\\"",',
    '    "test": "node --test"',
    '  },',
    '  "license": "MIT"',
    '}',
  ),
  region: [3, 7],
  target: 6,
};

export const MARKDOWN: Sample = {
  name: 'Markdown with typography',
  path: 'docs/guide.md',
  text: lines(
    '# Guide',
    '',
    'The “quiet” mode — new in 2.0 — mutes the widget… unless it’s busy.',
    '',
    '- Speeds are in km/h: 100\u00a0km/h is the limit.',
    '- Don’t combine it with the legacy mode – they fight.',
    '',
    'See “Settings” for more.',
  ),
  region: [2, 5],
  target: 5,
};

export const SAMPLES: readonly Sample[] = [JAVASCRIPT, PYTHON, YAML, JSON_FILE, MARKDOWN];

/** The sample's lines. */
export function sampleLines(sample: Sample): string[] {
  return sample.text.slice(0, -1).split('\n');
}

/** The quoted region, and the same region with the target line changed (a word appended). */
export function quoteAndEdit(sample: Sample, mark = ' // changed'): { quote: string[]; edited: string[] } {
  const all = sampleLines(sample);
  const quote = all.slice(sample.region[0], sample.region[1] + 1);
  const edited = quote.map((line, k) => (sample.region[0] + k === sample.target ? line + mark : line));
  return { quote, edited };
}

/** The whole sample with only the target line changed, as the edit must leave it. */
export function expectedAfterEdit(sample: Sample, mark = ' // changed'): string {
  const all = sampleLines(sample);
  all[sample.target] += mark;
  return all.join('\n') + '\n';
}
