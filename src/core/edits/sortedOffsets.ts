// Binary search over ascending offsets (line starts, fold boundaries): where an offset falls.

/** Index of the last element ≤ value; 0 when every element is greater. */
export function floorSearch(sorted: ArrayLike<number>, value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (sorted[mid] <= value) low = mid;
    else high = mid - 1;
  }
  return low;
}
