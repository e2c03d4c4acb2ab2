/** Group sizes for a round (product.md, Schedule rules). */

export const MIN_GROUP_SIZE = 2;
export const MAX_GROUP_SIZE = 6;

/**
 * Sizes of the groups for `n` members and group size `size`, largest first.
 * - n < 2: no group (a network of one makes no group).
 * - n < size: one group of everyone.
 * - otherwise ⌊n/size⌋ groups, and the remainder spread one extra per group (7 members in pairs:
 *   two pairs and a trio). Never a group of one.
 * - when the remainder is larger than the number of groups (11 members in groups of 6), one
 *   more group is formed and everyone is spread evenly (6 + 5): no group larger than size + 1.
 */
export function groupSizes(n: number, size: number): number[] {
  if (!Number.isInteger(size) || size < MIN_GROUP_SIZE || size > MAX_GROUP_SIZE) {
    throw new RangeError(`group size must be an integer from ${MIN_GROUP_SIZE} to ${MAX_GROUP_SIZE}, got ${size}`);
  }
  if (n < 2) return [];
  const groups = Math.floor(n / size);
  const rest = n % size;
  if (groups === 0) return [n];
  if (rest <= groups) return [...Array(rest).fill(size + 1), ...Array(groups - rest).fill(size)];
  const k = groups + 1;
  const base = Math.floor(n / k);
  const big = n - base * k;
  return [...Array(big).fill(base + 1), ...Array(k - big).fill(base)];
}
