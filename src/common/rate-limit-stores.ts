import { createConnection, Socket } from 'node:net';
import { DataSource } from 'typeorm';
import { CounterStore } from './shared-rate-limiter';

/** Counters in the rate_limit_counters table (an UNLOGGED table the migrations create): one statement per sync. */
export class PostgresCounterStore implements CounterStore {
  constructor(private readonly dataSource: DataSource) {}

  async add(window: number, counts: Map<string, number>): Promise<Map<string, number>> {
    const rows = await this.dataSource.query<{ key: string; hits: number }[]>(
      `INSERT INTO rate_limit_counters (key, "window", hits)
       SELECT k, $1, n FROM unnest($2::text[], $3::int4[]) AS t(k, n)
       ON CONFLICT (key, "window") DO UPDATE SET hits = rate_limit_counters.hits + excluded.hits
       RETURNING key, hits`,
      [window, [...counts.keys()], [...counts.values()]],
    );
    return new Map(rows.map((r) => [r.key, Number(r.hits)]));
  }

  async read(window: number, keys: string[]): Promise<Map<string, number>> {
    const rows = await this.dataSource.query<{ key: string; hits: number }[]>(
      'SELECT key, hits FROM rate_limit_counters WHERE "window" = $1 AND key = ANY($2::text[])',
      [window, keys],
    );
    return new Map(rows.map((r) => [r.key, Number(r.hits)]));
  }

  async prune(window: number): Promise<void> {
    await this.dataSource.query('DELETE FROM rate_limit_counters WHERE "window" < $1', [window]);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

type Reply = string | number | null | Error | Reply[];

/**
 * Counters in Redis, through a minimal RESP2 client (pipelined commands on one connection; no dependency): each
 * counter is `rl:<window>:<key>`, expiring after two windows, so nothing needs pruning.
 */
export class RedisCounterStore implements CounterStore {
  private socket: Socket | null = null;
  private buffer = Buffer.alloc(0);
  private waiting: { resolve: (r: Reply) => void; reject: (e: Error) => void }[] = [];

  constructor(
    private readonly url: string,
    private readonly windowMs = 60_000,
  ) {}

  async add(window: number, counts: Map<string, number>): Promise<Map<string, number>> {
    const commands: string[][] = [];
    for (const [key, n] of counts) {
      commands.push(['INCRBY', `rl:${window}:${key}`, String(n)]);
      commands.push(['PEXPIRE', `rl:${window}:${key}`, String(2 * this.windowMs)]);
    }
    const replies = await this.send(commands);
    const totals = new Map<string, number>();
    [...counts.keys()].forEach((key, i) => totals.set(key, Number(replies[2 * i])));
    return totals;
  }

  async read(window: number, keys: string[]): Promise<Map<string, number>> {
    const [values] = await this.send([['MGET', ...keys.map((k) => `rl:${window}:${k}`)]]);
    const totals = new Map<string, number>();
    (values as Reply[]).forEach((v, i) => {
      if (v !== null) totals.set(keys[i], Number(v));
    });
    return totals;
  }

  prune(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.socket?.end();
    this.socket = null;
    return Promise.resolve();
  }

  private async send(commands: string[][]): Promise<Reply[]> {
    const socket = await this.connect();
    const replies = commands.map(
      () => new Promise<Reply>((resolve, reject) => this.waiting.push({ resolve, reject })),
    );
    socket.write(commands.map(encode).join(''));
    const results = await Promise.all(replies);
    const error = results.find((r) => r instanceof Error);
    if (error) throw error;
    return results;
  }

  private connect(): Promise<Socket> {
    if (this.socket) return Promise.resolve(this.socket);
    const url = new URL(this.url);
    const socket = createConnection(Number(url.port || 6379), url.hostname || '127.0.0.1');
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    const fail = (error: Error) => {
      if (this.socket === socket) this.socket = null;
      this.buffer = Buffer.alloc(0);
      for (const w of this.waiting.splice(0)) w.reject(error);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('the Redis connection closed')));
    this.socket = socket;
    const setup: string[][] = [];
    if (url.password)
      setup.push([
        'AUTH',
        ...(url.username ? [decodeURIComponent(url.username)] : []),
        decodeURIComponent(url.password),
      ]);
    const db = url.pathname.replace(/^\//, '');
    if (db) setup.push(['SELECT', db]);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => {
        if (setup.length === 0) return resolve(socket);
        this.send(setup).then(() => resolve(socket), reject);
      });
      socket.once('error', reject);
    });
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const parsed = parseReply(this.buffer, 0);
      if (!parsed) return;
      this.buffer = this.buffer.subarray(parsed.end);
      this.waiting.shift()?.resolve(parsed.reply);
    }
  }
}

function encode(args: string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
}

/** One RESP2 reply starting at `at`, or null while it is incomplete. */
function parseReply(buf: Buffer, at: number): { reply: Reply; end: number } | null {
  const lineEnd = buf.indexOf('\r\n', at);
  if (lineEnd < 0) return null;
  const line = buf.toString('utf8', at + 1, lineEnd);
  const next = lineEnd + 2;
  switch (String.fromCharCode(buf[at])) {
    case '+':
      return { reply: line, end: next };
    case '-':
      return { reply: new Error(`Redis: ${line}`), end: next };
    case ':':
      return { reply: Number(line), end: next };
    case '$': {
      const length = Number(line);
      if (length < 0) return { reply: null, end: next };
      if (buf.length < next + length + 2) return null;
      return { reply: buf.toString('utf8', next, next + length), end: next + length + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { reply: null, end: next };
      const items: Reply[] = [];
      let end = next;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buf, end);
        if (!item) return null;
        items.push(item.reply);
        end = item.end;
      }
      return { reply: items, end };
    }
    default:
      throw new Error('Redis: unreadable reply');
  }
}
