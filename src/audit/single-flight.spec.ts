import { SingleFlight } from './single-flight';

/** A run that waits to be told when to read and when to finish. */
function controlled() {
  let runs = 0;
  let state = 0;
  const gates: { read: () => void; finish: (error?: Error) => void }[] = [];
  const flight = new SingleFlight<number>(async (reading) => {
    runs++;
    let read!: () => void;
    let finish!: (error?: Error) => void;
    const readGate = new Promise<void>((r) => (read = r));
    const doneGate = new Promise<Error | undefined>((r) => (finish = r));
    gates.push({ read, finish });
    await readGate;
    reading();
    const seen = state;
    const error = await doneGate;
    if (error) throw error;
    return seen;
  });
  const tick = () => new Promise((r) => setImmediate(r));
  return {
    flight,
    gates,
    tick,
    runs: () => runs,
    setState: (s: number) => (state = s),
  };
}

describe('SingleFlight', () => {
  it('shares one run among callers that arrive before it reads', async () => {
    const c = controlled();
    const calls = Array.from({ length: 50 }, () => c.flight.run());
    await c.tick();
    c.setState(7);
    c.gates[0].read();
    await c.tick();
    c.gates[0].finish();
    expect(await Promise.all(calls)).toEqual(Array(50).fill(7));
    expect(c.runs()).toBe(1);
  });

  it('gives callers that arrive after the read the next run, one for all of them, so they see their own writes', async () => {
    const c = controlled();
    c.setState(1);
    const first = c.flight.run();
    await c.tick();
    c.gates[0].read();
    await c.tick();
    c.setState(2); // committed after the first run read
    const later = Array.from({ length: 20 }, () => c.flight.run());
    await c.tick();
    expect(c.runs()).toBe(1); // the next run waits for the current one
    c.gates[0].finish();
    expect(await first).toBe(1);
    await c.tick();
    expect(c.runs()).toBe(2);
    c.gates[1].read();
    await c.tick();
    c.gates[1].finish();
    expect(await Promise.all(later)).toEqual(Array(20).fill(2));
    expect(c.runs()).toBe(2);
  });

  it('starts afresh once a run has ended, and after a failure', async () => {
    const c = controlled();
    const a = c.flight.run();
    await c.tick();
    c.gates[0].read();
    c.gates[0].finish(new Error('boom'));
    await expect(a).rejects.toThrow('boom');
    const b = c.flight.run();
    await c.tick();
    expect(c.runs()).toBe(2);
    c.setState(3);
    c.gates[1].read();
    c.gates[1].finish();
    expect(await b).toBe(3);
  });

  it('runs the queued callers after a failed run', async () => {
    const c = controlled();
    const a = c.flight.run();
    await c.tick();
    c.gates[0].read();
    await c.tick();
    const b = c.flight.run();
    c.gates[0].finish(new Error('boom'));
    await expect(a).rejects.toThrow('boom');
    await c.tick();
    c.setState(4);
    c.gates[1].read();
    c.gates[1].finish();
    expect(await b).toBe(4);
    expect(c.runs()).toBe(2);
  });
});
