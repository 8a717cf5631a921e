/** Labelled pairs and the rates the evaluation prints: what share of positives and of negatives a threshold matches. */
export interface Pair {
  /** The variant kind of a positive pair; null for a negative (two different goods). */
  kind: string | null;
  value: number;
}

/** A seeded generator (mulberry32): the same set on every run and machine. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(rnd: () => number, items: readonly T[]): T => items[Math.floor(rnd() * items.length)];

export interface Rates {
  tpr: number;
  fpr: number;
  falsePairs: number;
  byKind: Record<string, number>;
}

/** Rates when `matches(value)` decides a match. */
export function rates(pairs: Pair[], matches: (value: number) => boolean): Rates {
  const kinds: Record<string, [number, number]> = {};
  let tp = 0;
  let pos = 0;
  let fp = 0;
  let neg = 0;
  for (const p of pairs) {
    const hit = matches(p.value);
    if (p.kind === null) {
      neg++;
      if (hit) fp++;
      continue;
    }
    pos++;
    if (hit) tp++;
    const k = (kinds[p.kind] ??= [0, 0]);
    k[0] += hit ? 1 : 0;
    k[1]++;
  }
  const byKind = Object.fromEntries(Object.entries(kinds).map(([kind, [h, n]]) => [kind, h / n]));
  return { tpr: tp / pos, fpr: neg ? fp / neg : 0, falsePairs: fp, byKind };
}

export const percent = (x: number, digits = 1) => `${(x * 100).toFixed(digits)}%`;

/** A Markdown table. */
export function table(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
