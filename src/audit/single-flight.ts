/**
 * One run of `work` at a time, shared by everyone who asks while it is in flight — but only while its answer can
 * still include what they saw. `work` calls `reading()` just before it reads the state it answers from (e.g. the log's
 * head). A caller arriving before that shares the run in flight; one arriving after it would get an answer older than
 * its own view (a write it saw committed but the run did not), so it shares the next run instead, which starts when
 * the current one ends. However many callers come, at most one run is in flight and one is waiting.
 */
export class SingleFlight<T> {
  private current?: { promise: Promise<T>; reading: boolean };
  private next?: Promise<T>;

  constructor(private readonly work: (reading: () => void) => Promise<T>) {}

  run(): Promise<T> {
    const current = this.current;
    if (!current) return this.start();
    if (!current.reading) return current.promise;
    this.next ??= current.promise.then(
      () => this.afterCurrent(),
      () => this.afterCurrent(),
    );
    return this.next;
  }

  private afterCurrent(): Promise<T> {
    this.next = undefined;
    // A run started since the last one ended began after every caller waiting here arrived: it answers for them too.
    return this.current?.promise ?? this.start();
  }

  private start(): Promise<T> {
    const flight: { promise: Promise<T>; reading: boolean } = {
      promise: Promise.resolve() as Promise<T>,
      reading: false,
    };
    this.current = flight;
    flight.promise = (async () => {
      try {
        return await this.work(() => {
          flight.reading = true;
        });
      } finally {
        if (this.current === flight) this.current = undefined;
      }
    })();
    return flight.promise;
  }
}
