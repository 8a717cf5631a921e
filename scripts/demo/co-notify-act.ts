import type { Json } from '../../test/support/tooling';
import { call, Demo, say, step, token } from './client';

/**
 * A second ministry: the Ministry of Cooperatives and SMEs finds listings of its own and one the Ministry of Trade
 * already sent. The operator registers it (once: a later demo finds it), its batch co-notifies the open link and sends
 * a new one urgent, and each ministry then sees its own batches, while the first notifier alone may withdraw the link.
 */
export async function coNotifyAct(d: Demo, n: number): Promise<void> {
  step(n, 'A second ministry sends links: one is already open, and it becomes a co-notifier');
  const kemenkop = await ministry(d, 'kemenkop', 'Kementerian Koperasi dan UKM — Deputi Bidang UKM');
  const base = 3400000000 + (Date.now() % 1e7) * 4;
  const url = (i: number) => `https://www.tokopedia.com/toko-bal-${base % 1000}/karung-thrift-${base + i}`;
  const trade = await call(d.t.kemendag, 'POST', '/v1/link-batches', {
    reference: `PKTN/2026/12/${(base + 1) % 10000}`,
    legalBasis: 'Permendag No. 40/2022',
    links: [{ url: url(0) }],
  });
  const second = await call(kemenkop, 'POST', '/v1/link-batches', {
    reference: `KUKM/2026/12/${base % 10000}`,
    legalBasis: 'Permendag No. 40/2022; PP 7/2021 (perlindungan UMKM)',
    links: [{ url: url(0) }, { url: url(1), priority: 'urgent' }],
  });
  const [shared] = second.duplicates as Json[];
  say(
    `  Kemenkop's batch: ${(second.counts as Json).accepted} new link, ${(second.counts as Json).coNotified} co-notified` +
      ` (${shared.existingLinkId}, first sent by Kemendag in batch ${trade.id})`,
  );
  const link = await call(kemenkop, 'GET', `/v1/links/${shared.existingLinkId}`);
  say(
    `  Kemenkop follows it: ${link.status}, notified by ${link.notifierAgencyId}, co-notifiers ${link.coNotifierAgencyIds}`,
  );
  const [urgent] = (await call(kemenkop, 'GET', `/v1/links?batchId=${second.id}&priority=urgent`))
    .items as Json[];
  const hours = (l: Json) =>
    Math.round((Date.parse(l.dueAt as string) - Date.parse(l.createdAt as string)) / 36e5);
  say(
    `  Its new link is urgent: due in ${hours(urgent)} h (Tokopedia's urgent hours); the co-notified one keeps` +
      ` Kemendag's ${link.priority} priority, due in ${hours(link)} h`,
  );
  const own = (await call(kemenkop, 'GET', '/v1/link-batches?limit=100')).items as Json[];
  say(`  Kemenkop sees ${own.length} batch(es) of its own; Kemendag's batches stay Kemendag's`);
  const refused = await call(kemenkop, 'POST', `/v1/links/${shared.existingLinkId}/withdraw`, {
    reason: 'Not ours to withdraw',
  }).then(
    () => {
      throw new Error('a co-notifier withdrew the link');
    },
    (e: Error) => e.message,
  );
  say(`  Kemenkop tries to withdraw it: ${refused.replace(/^.*→ /, '')}`);
  const stats = (await call(d.t.idea, 'GET', '/v1/stats/notifiers')).notifiers as Json[];
  for (const s of stats)
    say(`  ${s.code}: notified ${s.notified}, co-notified ${s.coNotified}, accuracy ${s.accuracy ?? '–'}`);
}

/** The ministry's token, registering the agency and a client for it the first time. */
async function ministry(d: Demo, code: string, name: string): Promise<string> {
  const found = (
    (await call(d.t.operator, 'GET', '/v1/agencies?type=ministry&limit=100')).items as Json[]
  ).find((a) => a.code === code);
  const agency =
    found ?? (await call(d.t.operator, 'POST', '/v1/agencies', { code, name, type: 'ministry' }));
  const client = await call(d.t.operator, 'POST', `/v1/agencies/${agency.id}/clients`, { name: 'demo' });
  return token({
    agencyId: agency.id as string,
    clientId: client.clientId as string,
    clientSecret: client.clientSecret as string,
  });
}
