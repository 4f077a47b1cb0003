/**
 * "Did you mean …?" for misspelt keys, rule ids and bundled policy names.
 */

/** The candidate closest to `word`, if one is close enough to be what the user meant. */
export function closestName(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  const tolerance = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const candidateLower = candidate.toLowerCase();
    if (candidateLower === lower) return candidate;
    // A fragment of a longer id ("explicit-any") is a likelier intent than a short id one edit away.
    const fragment = candidateLower.includes(lower) && lower.length >= 3;
    if (!fragment && Math.abs(candidateLower.length - lower.length) > tolerance) continue;
    const distance = fragment ? 0.5 : editDistance(lower, candidateLower);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= tolerance ? best : undefined;
}

/** The suffix for a message: `; did you mean 'x'?`, or nothing. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const name = closestName(word, candidates);
  return name === undefined ? "" : `; did you mean '${name}'?`;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours each cost 1. */
export function editDistance(a: string, b: string): number {
  // Long inputs are never a typo of a short key; bail out rather than fill a large table.
  if (Math.abs(a.length - b.length) > 8 || a.length > 128 || b.length > 128) return Math.max(a.length, b.length);
  const rows = a.length + 1;
  const columns = b.length + 1;
  const table: number[] = new Array<number>(rows * columns).fill(0);
  for (let i = 0; i < rows; i++) table[i * columns] = i;
  for (let j = 0; j < columns; j++) table[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < columns; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(table[(i - 1) * columns + j] + 1, table[i * columns + j - 1] + 1, table[(i - 1) * columns + j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, table[(i - 2) * columns + j - 2] + 1);
      table[i * columns + j] = value;
    }
  }
  return table[rows * columns - 1];
}
