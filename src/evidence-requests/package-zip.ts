import archiver from 'archiver';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';

/** Deflate level 1: the package is mostly hex proofs that compress as well at 1 as at 6, in half the time. */
export const ZIP_LEVEL = 1;

export interface PackageFile {
  name: string;
  bytes: number;
  sha256: string;
}

/**
 * The package's ZIP as it streams into `file`: each entry hashed as it is added, the whole archive hashed as it
 * is written, every entry dated `date` (the checkpoint's) so the same package builds to the same bytes.
 */
export class PackageZip {
  readonly files: PackageFile[] = [];
  bytes = 0;
  private readonly zip = archiver('zip', { zlib: { level: ZIP_LEVEL } });
  private readonly out;
  private readonly outerHash = createHash('sha256');

  constructor(
    readonly file: string,
    private readonly date: Date,
    private readonly signal?: AbortSignal,
  ) {
    this.out = createWriteStream(file);
    // Failures reach the build through the promises below (entry, finalize, finished); a package given up half-way
    // can still see late errors from compression in flight, which must not become uncaught ones.
    this.zip.on('error', () => undefined);
    this.out.on('error', () => undefined);
  }

  /** Starts the archive's stream into its file; from here on `abort` must be called if the build fails. */
  open(): void {
    this.zip.on('data', (chunk: Buffer) => {
      this.outerHash.update(chunk);
      this.bytes += chunk.length;
    });
    this.zip.pipe(this.out);
  }

  /** Streams one entry, waiting for room as zlib compresses, and records its size and SHA-256 in `files`. */
  async add(name: string, source: AsyncIterable<string | Buffer> | Iterable<string | Buffer>): Promise<void> {
    const hash = createHash('sha256');
    let size = 0;
    // Room for a chunk (≈ 2 MB of lines), so the next one is built while zlib compresses this one.
    const pass = new PassThrough({ highWaterMark: 4 * 2 ** 20 });
    pass.on('error', () => undefined);
    const done = new Promise<void>((resolve, reject) => {
      this.zip.once('entry', () => resolve());
      this.zip.once('error', reject);
    });
    done.catch(() => undefined); // awaited below unless the source fails first
    this.zip.append(pass, { name, date: this.date });
    try {
      for await (const piece of source) {
        this.signal?.throwIfAborted();
        const buf = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
        hash.update(buf);
        size += buf.length;
        if (!pass.write(buf)) await drained(pass, this.signal);
      }
    } catch (error) {
      // Refused or abandoned: what is still buffered must not flow into the compressor the abort destroys.
      pass.unpipe();
      pass.destroy();
      throw error;
    }
    pass.end();
    await done;
    this.files.push({ name, bytes: size, sha256: hash.digest('hex') });
  }

  /** Appends the last entries as they are (not listed in `files`), closes the archive, and returns its SHA-256. */
  async finish(last: { name: string; content: Buffer | string }[]): Promise<string> {
    for (const entry of last) this.zip.append(entry.content, { name: entry.name, date: this.date });
    await this.zip.finalize();
    await finished(this.out);
    return this.outerHash.digest('hex');
  }

  /** A refused or failed package leaves no open stream or descriptor behind. */
  abort(): void {
    this.zip.unpipe(this.out);
    this.zip.abort();
    this.out.destroy();
  }
}

/** Waits for a full stream to drain, or for the client to leave (then the build must not wait forever). */
function drained(stream: PassThrough, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const gone = () => reject(signal!.reason as Error);
    stream.once('drain', () => {
      signal?.removeEventListener('abort', gone);
      resolve();
    });
    signal?.addEventListener('abort', gone, { once: true });
  });
}
