import { itemAt } from '../simulators/data/prng';

/** Prints rows as an aligned plain-text table (for the terminal and for closing notes). */
export function printTable(title: string, rows: Record<string, string | number>[]): void {
  const [first] = rows;
  if (!first) return;
  const cols = Object.keys(first);
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(itemAt(width, i))).join('  ');
  console.log(`\n${title}`);
  console.log(line(cols));
  console.log(line(width.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(cols.map((c) => String(r[c]))));
}
