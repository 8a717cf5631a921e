import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { sql } from '../database/sql';
import type { IndexedFingerprint } from './fingerprint-index';
import type { ImageHash } from './image-hash';

/** A fingerprint to keep: the title and seller name already normalised (unaccent() is applied on insert). */
export interface NewFingerprint {
  linkId: string;
  marketplaceId: string;
  title: string | null;
  sellerRef: string | null;
  sellerName: string | null;
  takenDownAt: Date;
  imageHashes: ImageHash[];
}

/** A kept fingerprint's link, as a match names it. */
export interface FingerprintLink {
  id: string;
  link_id: string;
  marketplace_id: string;
  batch_reference: string | null;
}

export interface SellerQuery {
  index: number;
  marketplaceId: string | null;
  sellerRef: string | null;
  sellerName: string | null;
}

/** Seller matches per query item beyond this many are not listed (the most recent takedowns are). */
export const SELLER_MATCH_CAP = 50;

const FINGERPRINT_ROW = sql`f.id::int8 AS id, f.title, f.txid::int8 AS txid,
  coalesce((SELECT json_agg(json_build_object('algorithm', h.algorithm, 'hash', encode(h.hash, 'hex')))
              FROM listing_image_hashes h WHERE h.fingerprint_id = f.id), '[]') AS images`;

export interface StoredFingerprint extends Omit<IndexedFingerprint, 'id'> {
  id: string;
  txid: string;
}

@Injectable()
export class FingerprintsRepository {
  /** The oldest transaction still running: every row committed later has a txid at least this. */
  async snapshotXmin(m: EntityManager): Promise<string> {
    const [{ xmin }] = await m.query<{ xmin: string }[]>(
      `SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin`,
    );
    return xmin;
  }

  /** A page of kept fingerprints in id order, for building the index. */
  page(m: EntityManager, afterId: string, limit: number): Promise<StoredFingerprint[]> {
    return m.query<StoredFingerprint[]>(
      ...sql`SELECT ${FINGERPRINT_ROW} FROM listing_fingerprints f WHERE f.id > ${afterId}::int8 ORDER BY f.id LIMIT ${limit}`,
    );
  }

  /**
   * Every committed fingerprint whose transaction was still running at or after `xmin`, and the statement's own xmin
   * (one snapshot for both). The caller's own uncommitted rows are left out: they may yet roll back.
   */
  async since(m: EntityManager, xmin: string): Promise<{ xmin: string; rows: StoredFingerprint[] }> {
    const [result] = await m.query<{ xmin: string; rows: StoredFingerprint[] }[]>(
      ...sql`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin,
                coalesce((SELECT json_agg(r) FROM (
                  SELECT ${FINGERPRINT_ROW} FROM listing_fingerprints f
                   WHERE f.txid >= ${xmin}::int8
                     AND f.txid IS DISTINCT FROM pg_current_xact_id_if_assigned()::text::int8) r), '[]') AS rows`,
    );
    return result;
  }

  /** Keeps the fingerprints (a link's first one stays), with their image hashes, in the caller's transaction. */
  /** Keeps the fingerprints of links that have none yet; returns the links whose fingerprint this kept. */
  async insert(m: EntityManager, rows: NewFingerprint[]): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    const inserted = await m.query<{ id: string; link_id: string }[]>(
      ...sql`INSERT INTO listing_fingerprints (link_id, marketplace_id, title, seller_ref, seller_name, taken_down_at, txid)
             SELECT u.link_id, u.marketplace_id, unaccent(u.title), u.seller_ref, u.seller_name, u.taken_down_at,
                    pg_current_xact_id()::text::int8
               FROM unnest(${rows.map((r) => r.linkId)}::uuid[], ${rows.map((r) => r.marketplaceId)}::uuid[],
                           ${rows.map((r) => r.title)}::text[], ${rows.map((r) => r.sellerRef)}::text[],
                           ${rows.map((r) => r.sellerName)}::text[], ${rows.map((r) => r.takenDownAt)}::timestamptz[])
                 AS u(link_id, marketplace_id, title, seller_ref, seller_name, taken_down_at)
             ON CONFLICT (link_id) DO NOTHING
             RETURNING id::text, link_id`,
    );
    const idOf = new Map(inserted.map((r) => [r.link_id, r.id]));
    const hashes = rows.flatMap((r) => {
      const id = idOf.get(r.linkId);
      if (id === undefined) return [];
      const unique = new Map(r.imageHashes.map((h) => [`${h.algorithm}:${h.hash}`, h]));
      return [...unique.values()].map((h) => ({ id, ...h }));
    });
    if (hashes.length > 0)
      await m.query(
        ...sql`INSERT INTO listing_image_hashes (fingerprint_id, algorithm, hash, quality)
             SELECT u.id, u.algorithm, decode(u.hash, 'hex'), u.quality
               FROM unnest(${hashes.map((h) => h.id)}::int8[], ${hashes.map((h) => h.algorithm)}::text[],
                           ${hashes.map((h) => h.hash)}::text[], ${hashes.map((h) => h.quality ?? null)}::int2[])
                 AS u(id, algorithm, hash, quality)`,
      );
    return new Set(idOf.keys());
  }

  /** unaccent() of each text, in order: the last step of title normalisation, as the stored column had it. */
  async unaccent(m: EntityManager, texts: string[]): Promise<string[]> {
    if (texts.length === 0) return [];
    const rows = await m.query<{ t: string }[]>(
      ...sql`SELECT unaccent(t) AS t FROM unnest(${texts}::text[]) WITH ORDINALITY AS u(t, n) ORDER BY n`,
    );
    return rows.map((r) => r.t);
  }

  /** The links behind kept fingerprints, with their batch's reference. */
  links(m: EntityManager, ids: number[]): Promise<FingerprintLink[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return m.query<FingerprintLink[]>(
      ...sql`SELECT f.id::text AS id, f.link_id, f.marketplace_id, b.reference AS batch_reference
               FROM listing_fingerprints f JOIN links l ON l.id = f.link_id
               LEFT JOIN link_batches b ON b.id = l.batch_id
              WHERE f.id = ANY(${ids}::int8[])`,
    );
  }

  /**
   * Taken-down links of the same seller: the same sellerRef on the same marketplace, or the same normalised seller
   * name on any; the most recent first, at most SELLER_MATCH_CAP per item.
   */
  sellers(m: EntityManager, queries: SellerQuery[]): Promise<{ index: number; id: string }[]> {
    if (queries.length === 0) return Promise.resolve([]);
    return m.query<{ index: number; id: string }[]>(
      ...sql`SELECT q.index, s.id FROM unnest(${queries.map((q) => q.index)}::int[],
                    ${queries.map((q) => q.marketplaceId)}::uuid[], ${queries.map((q) => q.sellerRef)}::text[],
                    ${queries.map((q) => q.sellerName)}::text[]) AS q(index, marketplace_id, seller_ref, seller_name)
             CROSS JOIN LATERAL (
               SELECT f.id::text AS id FROM listing_fingerprints f
                WHERE (f.marketplace_id = q.marketplace_id AND f.seller_ref = q.seller_ref)
                   OR f.seller_name = q.seller_name
                ORDER BY f.taken_down_at DESC, f.id DESC LIMIT ${SELLER_MATCH_CAP}) s`,
    );
  }
}
