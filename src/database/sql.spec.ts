import { and, empty, join, raw, sql, where } from './sql';

describe('sql', () => {
  it('numbers values in the order they appear', () => {
    const q = sql`SELECT * FROM links WHERE id = ${'a'} AND status = ${'pending'}`;
    expect([...q]).toEqual(['SELECT * FROM links WHERE id = $1 AND status = $2', ['a', 'pending']]);
  });

  it('splices a fragment with its values, renumbering what follows', () => {
    const visible = sql`marketplace_id = ANY(${['m1', 'm2']}::uuid[])`;
    const q = sql`SELECT 1 WHERE batch_id = ${'b'} AND ${visible} LIMIT ${10}`;
    expect(q[0]).toBe('SELECT 1 WHERE batch_id = $1 AND marketplace_id = ANY($2::uuid[]) LIMIT $3');
    expect(q[1]).toEqual(['b', ['m1', 'm2'], 10]);
  });

  it('splices fragments nested in fragments, and fragments without values', () => {
    const inner = sql`x = ${1}`;
    const outer = sql`(${inner} OR y = ${2})`;
    const q = sql`SELECT ${raw('a, b')} FROM t WHERE ${outer} AND z = ${3}${empty}`;
    expect(q[0]).toBe('SELECT a, b FROM t WHERE (x = $1 OR y = $2) AND z = $3');
    expect(q[1]).toEqual([1, 2, 3]);
  });

  it('joins fragments with a separator, and nothing as nothing', () => {
    const q = join([sql`a = ${1}`, sql`b = ${2}`, raw('c')], ' OR ');
    expect([...q]).toEqual(['a = $1 OR b = $2 OR c', [1, 2]]);
    expect([...join([], ', ')]).toEqual(['', []]);
  });

  it('builds WHERE from the conditions present, skipping false and undefined', () => {
    expect(where([sql`a = ${1}`, false, undefined, sql`b = ${2}`])[0]).toBe('WHERE a = $1 AND b = $2');
    expect(where([false, null])[0]).toBe('');
    expect(and([])[0]).toBe('TRUE');
    expect(and([sql`a = ${1}`])[0]).toBe('a = $1');
  });

  it('keeps a value that looks like a placeholder or SQL as a value', () => {
    const q = sql`SELECT ${"'); DROP TABLE links; --"} , ${'$1'}`;
    expect(q[0]).toBe('SELECT $1 , $2');
    expect(q[1]).toEqual(["'); DROP TABLE links; --", '$1']);
  });

  it('can be used twice: the same fragment renders the same', () => {
    const f = sql`a = ${1}`;
    const q = sql`${f} OR ${f}`;
    expect([...q]).toEqual(['a = $1 OR a = $2', [1, 1]]);
  });
});

describe('sql with a real query signature', () => {
  it('spreads into (text, parameters)', () => {
    const query = (text: string, parameters?: unknown[]) => ({ text, parameters });
    expect(query(...sql`SELECT ${1}`)).toEqual({ text: 'SELECT $1', parameters: [1] });
  });
});
