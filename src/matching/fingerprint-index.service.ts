import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { FingerprintIndex } from './fingerprint-index';
import { FingerprintsRepository, StoredFingerprint } from './fingerprints.repository';

/** Fingerprints read per page while the index is first built. */
const LOAD_PAGE = 20_000;

/**
 * This instance's copy of the fingerprint index, built from listing_fingerprints on first use and brought up to date
 * before every search: rows are read by the id of the transaction that wrote them (txid), from the oldest transaction
 * still running at the previous refresh, so a row committed late — by this instance or any other — is never skipped,
 * and rows read twice are recognised. Refreshes run one at a time, each with its caller's connection.
 */
@Injectable()
export class FingerprintIndexService {
  private index = new FingerprintIndex();
  private built = false;
  /** Every row committed later has a txid of at least this. */
  private xmin = '0';
  /** Rows already in the index whose txid is at least xmin: they will be read again. */
  private recent = new Map<string, bigint>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly fingerprints: FingerprintsRepository,
    private readonly dataSource: DataSource,
  ) {}

  /** Builds (or catches up) the index now, with a connection of the pool. */
  async warm(): Promise<void> {
    await this.current(this.dataSource.manager);
  }

  /** The index with every fingerprint committed before this call, read with `m`. */
  async current(m: EntityManager): Promise<FingerprintIndex> {
    const turn = this.queue.then(() => (this.built ? this.refresh(m) : this.build(m)));
    this.queue = turn.catch(() => undefined);
    await turn;
    return this.index;
  }

  get size(): number {
    return this.index.titles.size;
  }

  private async build(m: EntityManager): Promise<void> {
    const index = new FingerprintIndex();
    const xmin = await this.fingerprints.snapshotXmin(m);
    const recent = new Map<string, bigint>();
    for (let after = '0'; ;) {
      const page = await this.fingerprints.page(m, after, LOAD_PAGE);
      for (const row of page) this.add(index, recent, BigInt(xmin), row);
      if (page.length < LOAD_PAGE) break;
      after = page[page.length - 1].id;
    }
    Object.assign(this, { index, xmin, recent, built: true });
  }

  private async refresh(m: EntityManager): Promise<void> {
    const { xmin, rows } = await this.fingerprints.since(m, this.xmin);
    for (const row of rows)
      if (!this.recent.has(row.id)) this.add(this.index, this.recent, BigInt(this.xmin), row);
    const floor = BigInt(xmin);
    if (floor > BigInt(this.xmin)) {
      this.xmin = xmin;
      for (const [id, txid] of this.recent) if (txid < floor) this.recent.delete(id);
    }
  }

  private add(index: FingerprintIndex, recent: Map<string, bigint>, floor: bigint, row: StoredFingerprint) {
    index.add({ id: Number(row.id), title: row.title, images: row.images });
    const txid = BigInt(row.txid);
    if (txid >= floor) recent.set(row.id, txid);
  }
}
