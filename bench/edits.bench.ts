// Edit engine benchmark: 200 edit blocks (half exact, half with drifted indentation and trailing whitespace)
// against a 20,000-line TypeScript-like file. Target: ≤ 50 ms. Run: node --import tsx bench/edits.bench.ts

import { performance } from 'node:perf_hooks';
import { applyEditBlocks } from '../src/core/edits/editEngine';
import type { EditBlock } from '../src/core/edits/fileChange';

const LINES = 20_000;
const BLOCKS = 200;
const RUNS = 31;
const TARGET_MS = 50;

/** One 40-line class: the same shape everywhere (as real code repeats), identifiers unique per class. */
function classSource(i: number): string[] {
  return [
    `export class OrderService${i} {`,
    `  private readonly cache = new Map<string, Order>();`,
    ``,
    `  constructor(private readonly repository: Repository, private readonly clock: Clock) {}`,
    ``,
    `  async loadOrder${i}(id: string): Promise<Order | undefined> {`,
    `    if (!id) {`,
    `      throw new Error('missing id');`,
    `    }`,
    `    const cached = this.cache.get(id);`,
    `    if (cached) return cached;`,
    `    const order = await this.repository.find(id);`,
    `    if (order) this.cache.set(id, order);`,
    `    return order;`,
    `  }`,
    ``,
    `  validateOrder${i}(order: Order): string[] {`,
    `    const errors: string[] = [];`,
    `    if (order.items.length === 0) {`,
    `      errors.push('empty order');`,
    `    }`,
    `    for (const item of order.items) {`,
    `      if (item.quantity <= 0) errors.push(\`bad quantity for \${item.sku}\`);`,
    `    }`,
    `    return errors;`,
    `  }`,
    ``,
    `  totalFor${i}(order: Order): number {`,
    `    let total = 0;`,
    `    for (const item of order.items) {`,
    `      total += item.price * item.quantity;`,
    `    }`,
    `    return Math.round(total * 100) / 100;`,
    `  }`,
    ``,
    `  expire${i}(now = this.clock.now()): void {`,
    `    for (const [id, order] of this.cache) if (order.expiresAt < now) this.cache.delete(id);`,
    `  }`,
    `}`,
    ``,
  ];
}

export function buildFile(): string {
  const lines: string[] = [];
  for (let i = 0; lines.length < LINES; i++) lines.push(...classSource(i));
  return lines.slice(0, LINES).join('\n') + '\n';
}

/** Drift as models produce it: 4-space steps instead of 2, and trailing whitespace on some lines. */
function drift(lines: readonly string[]): string[] {
  return lines.map((line, k) => {
    const indent = /^ */.exec(line)?.[0].length ?? 0;
    return ' '.repeat(indent * 2) + line.trimStart() + (k % 2 === 0 ? '  ' : '');
  });
}

export function buildBlocks(): EditBlock[] {
  const classes = Math.floor(LINES / 40);
  const blocks: EditBlock[] = [];
  for (let b = 0; b < BLOCKS; b++) {
    const i = Math.floor((b * classes) / BLOCKS);
    const source = classSource(i);
    // Alternate between two methods so blocks differ in shape: 4 and 5 lines.
    const old = b % 4 < 2 ? source.slice(27, 31) : source.slice(16, 21);
    const replaced = [
      ...old.slice(0, -1),
      `${/^ */.exec(old[old.length - 1])?.[0] ?? ''}// edited by block ${b}`,
      old[old.length - 1],
    ];
    if (b % 2 === 0) blocks.push({ old_text: old.join('\n'), new_text: replaced.join('\n') });
    else blocks.push({ old_text: drift(old).join('\n'), new_text: drift(replaced).join('\n') });
  }
  return blocks;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export async function runEditsBench(): Promise<Record<string, number>> {
  const file = buildFile();
  const blocks = buildBlocks();
  const times: number[] = [];
  for (let run = 0; run < RUNS + 5; run++) {
    const started = performance.now();
    const outcome = applyEditBlocks(file, blocks);
    const elapsed = performance.now() - started;
    if (run >= 5) times.push(elapsed);
    const failed = outcome.results.filter((r) => !r.ok);
    if (failed.length > 0)
      throw new Error(`edits bench: ${failed.length} block(s) failed: ${JSON.stringify(failed[0])}`);
    const edited = outcome.content.match(/\/\/ edited by block \d+/g)?.length ?? 0;
    if (edited !== BLOCKS) throw new Error(`edits bench: expected ${BLOCKS} edits in the result, found ${edited}`);
  }
  const ms = median(times);
  console.log(
    `edits: ${BLOCKS} blocks on ${LINES.toLocaleString('en-US')} lines in ${ms.toFixed(1)} ms (median of ${RUNS} ` +
      `runs; target ≤ ${TARGET_MS} ms)`,
  );
  return {
    'edits.blocks': BLOCKS,
    'edits.lines': LINES,
    'edits.medianMs': Number(ms.toFixed(2)),
    'edits.targetMs': TARGET_MS,
  };
}

if (require.main === module) {
  runEditsBench().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
