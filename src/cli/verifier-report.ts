import type { VerifyReport } from './evidence-verifier';

/** The report as it is written: one line per check, and whether every check so far held. */
export class Checks {
  readonly lines: string[] = [];
  ok = true;

  check(holds: boolean, what: string, otherwise?: string): boolean {
    this.lines.push(`${holds ? '✔' : '✘'} ${what}${!holds && otherwise ? `: ${otherwise}` : ''}`);
    if (!holds) this.ok = false;
    return holds;
  }

  refused(): VerifyReport {
    return { ok: false, lines: this.lines, events: 0, links: 0 };
  }
}

export function textLines(content: Buffer): string[] {
  return content.toString('utf8').split('\n').filter(Boolean);
}

export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function describe(problems: string[]): string {
  return problems.length <= 5
    ? problems.join('; ')
    : `${problems.slice(0, 5).join('; ')}; and ${problems.length - 5} more`;
}

/** Names the first field whose value differs: "status is "taken_down" in the package but "rejected" by its events". */
export function firstDifference(stated: object, replayed: object): string | null {
  const a = stated as Record<string, unknown>;
  const b = replayed as Record<string, unknown>;
  for (const field of new Set([...Object.keys(b), ...Object.keys(a)])) {
    const x = JSON.stringify(a[field]);
    const y = JSON.stringify(b[field]);
    if (x !== y)
      return `${field} is ${x ?? 'absent'} in the package but ${y ?? 'absent'} by its audit events`;
  }
  return null;
}

export function csvDifference(found: string, expected: string): string {
  const f = found.split('\n');
  const e = expected.split('\n');
  for (let i = 0; i < Math.max(f.length, e.length); i++)
    if (f[i] !== e[i])
      return `line ${i + 1} is ${JSON.stringify(f[i] ?? null)?.slice(0, 160)}, expected ${JSON.stringify(e[i] ?? null)?.slice(0, 160)}`;
  return '';
}
