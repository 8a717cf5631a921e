import { AppError } from '../errors/app-error';
import { WorkQueue } from './work-queue';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('WorkQueue', () => {
  it('runs at most `running` at once, lines up `waiting` more and refuses the rest with 503 + Retry-After', async () => {
    const q = new WorkQueue('exports', 2, 1, 7);
    const gates = [gate(), gate(), gate()];
    const started: number[] = [];
    const runs = gates.map((g, i) =>
      q.run(async () => {
        started.push(i);
        await g.opened;
        return i;
      }),
    );
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1]);
    expect(q.size).toEqual({ running: 2, waiting: 1 });
    const refused = await q.run(() => Promise.resolve('never')).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ status: 503, headers: { 'Retry-After': '7' } });
    gates[0].open();
    await runs[0];
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1, 2]);
    gates[1].open();
    gates[2].open();
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
    expect(q.size).toEqual({ running: 0, waiting: 0 });
  });

  it('lets a caller whose client left give up its place in line', async () => {
    const q = new WorkQueue('exports', 1, 1);
    const first = gate();
    const running = q.run(() => first.opened);
    const gone = new AbortController();
    const waiting = q.run(() => Promise.resolve('never'), gone.signal);
    await new Promise((r) => setImmediate(r));
    expect(q.size).toEqual({ running: 1, waiting: 1 });
    gone.abort(new Error('client left'));
    await expect(waiting).rejects.toThrow('client left');
    expect(q.size).toEqual({ running: 1, waiting: 0 });
    first.open();
    await running;
    expect(q.size).toEqual({ running: 0, waiting: 0 });
  });

  it('frees the slot when the work fails', async () => {
    const q = new WorkQueue('exports', 1, 0);
    await expect(q.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await q.run(() => Promise.resolve('next'))).toBe('next');
  });
});
