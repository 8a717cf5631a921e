import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { verifyEvidencePackage } from '../../src/cli/evidence-verifier';
import { readZip } from '../../src/cli/verify-evidence';
import type { TestApp } from './app';
import { bytesOrProblem } from './binary';
import type { Campaign } from './campaign';

/** The police's request for the links at `urls`, fulfilled by Shopee with `sellerRecords`; returns its id. */
export async function fulfilledRequest(
  t: TestApp,
  c: Campaign,
  urls: string[],
  sellerRecords: Record<string, string>[] = [],
): Promise<string> {
  const filed = await t.http
    .post('/v1/evidence-requests')
    .set(c.police.auth)
    .send({
      caseNumber: 'LP/B/15/XII/2026',
      legalBasis: 'KUHAP Pasal 7',
      purpose: 'penyidikan',
      scope: { urls },
    })
    .expect(201);
  const requestId = filed.body.id as string;
  await t.http
    .post(`/v1/evidence-requests/${requestId}/responses`)
    .set(c.shopee.auth)
    .send({ decision: 'fulfil', sellerRecords })
    .expect(201);
  return requestId;
}

/** The police's download of the request's package: its bytes, or the problem refusing it. */
export const downloadPackage = (t: TestApp, c: Campaign, requestId: string) =>
  t.http
    .get(`/v1/evidence-requests/${requestId}/export`)
    .set(c.police.auth)
    .buffer(true)
    .parse(bytesOrProblem);

/**
 * The package as a police officer reads it: written to a file, opened, and checked by the offline verifier against the
 * published keys. Returns its entries, its links.jsonl lines parsed, and the verifier's report.
 */
export async function openPackage(t: TestApp, c: Campaign, zipBytes: Buffer) {
  const zip = path.join(mkdtempSync(path.join(os.tmpdir(), 'package-')), 'evidence.zip');
  writeFileSync(zip, zipBytes);
  const entries = await readZip(zip);
  const jwks = JSON.stringify((await t.http.get('/v1/audit/keys').set(c.police.auth).expect(200)).body);
  const links = entries
    .get('links.jsonl')!
    .toString()
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { entries, links, verified: verifyEvidencePackage(entries, jwks) };
}
