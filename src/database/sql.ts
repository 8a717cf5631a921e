/**
 * SQL written as a tagged template: every `${value}` becomes a numbered parameter and travels with its text, and a
 * `${fragment}` made by `sql` is spliced in with its own values, so no caller counts parameter positions by hand.
 *
 *   const visible = sql`l.marketplace_id = ANY(${owned}::uuid[])`;
 *   m.query(...sql`SELECT id FROM links l WHERE ${visible} AND l.status = ${status} LIMIT ${limit}`);
 *
 * A fragment is the pair query() takes, text with $1, $2, … and its values, so it spreads straight into it.
 * Text that is not a value (a column list, an ORDER BY chosen from constants) goes in through `raw`, never input.
 */

interface Parts {
  strings: readonly string[];
  values: readonly unknown[];
}

export type Sql = readonly [text: string, parameters: unknown[]];

/** The pieces of every fragment made here, so one spliced into another keeps its values apart from its text. */
const made = new WeakMap<Sql, Parts>();

function isSql(value: unknown): value is Sql {
  return typeof value === 'object' && value !== null && made.has(value as Sql);
}

function fragment(strings: readonly string[], values: readonly unknown[]): Sql {
  const outStrings: string[] = [strings[0]];
  const outValues: unknown[] = [];
  values.forEach((value, i) => {
    if (isSql(value)) {
      // Splice the fragment: its first string joins ours, its last one starts our next.
      const inner = made.get(value)!;
      outStrings[outStrings.length - 1] += inner.strings[0];
      outValues.push(...inner.values);
      outStrings.push(...inner.strings.slice(1));
      outStrings[outStrings.length - 1] += strings[i + 1];
    } else {
      outValues.push(value);
      outStrings.push(strings[i + 1]);
    }
  });
  const text = outStrings.reduce((acc, part, i) => `${acc}$${i}${part}`);
  const pair: Sql = Object.freeze([text, outValues] as const);
  made.set(pair, { strings: outStrings, values: outValues });
  return pair;
}

export function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  return fragment(strings, values);
}

/** Trusted text (a constant column list, a chosen ORDER BY), never a value from a request. */
export function raw(text: string): Sql {
  return fragment([text], []);
}

export const empty = raw('');

/** Fragments joined by a separator; `empty` when there are none. */
export function join(fragments: readonly Sql[], separator: string): Sql {
  if (fragments.length === 0) return empty;
  return fragment(['', ...fragments.slice(1).map(() => separator), ''], fragments);
}

type Condition = Sql | false | null | undefined;

/** `WHERE a AND b …`, or nothing when no condition is present. */
export function where(conditions: readonly Condition[]): Sql {
  const present = conditions.filter(isSql);
  return present.length === 0 ? empty : sql`WHERE ${join(present, ' AND ')}`;
}

/** Every condition present, or TRUE when none is: for use inside a larger WHERE. */
export function and(conditions: readonly Condition[]): Sql {
  const present = conditions.filter(isSql);
  return present.length === 0 ? raw('TRUE') : join(present, ' AND ');
}
