// search_files sorts what an unsorted (parallel) rg found into the order a sorted rg gives (src/vscode/ripgrep.ts).
import { sep } from 'node:path';

/** rg's `--sort path` order: by path component, each compared by its UTF-8 bytes. */
export function ripgrepPathOrder(a: string, b: string): number {
  const left = a.split(sep);
  const right = b.split(sep);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    if (left[i] === right[i]) continue;
    return Buffer.compare(Buffer.from(left[i], 'utf8'), Buffer.from(right[i], 'utf8'));
  }
  return left.length - right.length;
}
