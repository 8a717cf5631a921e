import type { Json } from '../../test/support/tooling';
import { call, Demo, say, step } from './client';

/**
 * Due process: Shopee asks the ministry about one notice and objects to two. An objection to an open link stops its
 * clock until the ministry decides; upheld, it withdraws the link. Shopee takes a listing down with a statement of
 * reasons, then objects for the seller, who turns out to be authorised: the ministry upholds it, and the link is
 * reinstated, a final status no acknowledgement moves.
 */
export async function dueProcessAct(d: Demo, n: number): Promise<void> {
  step(n, 'Due process: a question, objections, a statement of reasons, a reinstatement');
  const base = 3300000000 + (Date.now() % 1e7) * 4;
  const batch = await call(d.t.kemendag, 'POST', '/v1/link-batches', {
    reference: `PKTN/2026/12/${base % 10000}`,
    legalBasis: 'Permendag No. 40/2022',
    category: 'used-clothing',
    links: [0, 1, 2].map((i) => ({ url: `https://shopee.co.id/Jaket-Kulit-Preloved-i.300${i}.${base + i}` })),
  });
  const links = (await call(d.t.kemendag, 'GET', `/v1/links?batchId=${batch.id}&limit=10`)).items as Json[];
  const [asked, wrong, authorised] = links.map((l) => ({ id: l.id as string }));

  const question = await call(d.t.shopee, 'POST', `/v1/links/${asked.id}/clarifications`, {
    question: 'The listing shows new jackets with tags: which part of the notice applies?',
  });
  const answered = await call(d.t.kemendag, 'POST', `/v1/clarifications/${question.id}/answer`, {
    answer: 'The seller ships used bales under the same listing: Pasal 2 ayat (3) applies.',
  });
  say(`  shopee asks about ${asked.id}; the ministry answers (${answered.status}); the clock ran on`);

  const objection = await call(d.t.shopee, 'POST', `/v1/links/${wrong.id}/objections`, {
    ground: 'wrong_marketplace',
    detail: 'The shop moved to Tokopedia before the notice; this listing redirects there.',
  });
  const paused = await call(d.t.kemendag, 'GET', `/v1/links/${wrong.id}`);
  say(
    `  shopee objects to ${wrong.id} (${objection.ground}): its clock stands still since ${paused.clockPausedAt}`,
  );
  const upheld = await call(d.t.kemendag, 'POST', `/v1/objections/${objection.id}/decision`, {
    outcome: 'upheld',
    note: 'Sent to the wrong marketplace; re-notified to Tokopedia.',
  });
  say(`  the ministry upholds it after ${upheld.pausedMs} ms paused: the link is ${upheld.linkStatus}`);

  await call(d.t.shopee, 'POST', '/v1/links/acknowledgements', {
    items: [
      {
        linkId: authorised.id,
        status: 'taken_down',
        decision: {
          visibility: 'removed',
          account: 'warned',
          ground: 'illegal',
          legalGround: 'Permendag 40/2022 Pasal 2 ayat (3)',
          automatedDetection: false,
          automatedDecision: 'none',
          sellerNotifiedAt: new Date().toISOString(),
        },
      },
    ],
  });
  const counter = await call(d.t.shopee, 'POST', `/v1/links/${authorised.id}/objections`, {
    ground: 'seller_authorised',
    detail: 'The seller is the brand’s licensed importer of new stock; licence attached.',
    onBehalfOfSeller: true,
    evidenceSha256: 'c0ffee'.padEnd(64, '0'),
  });
  const reinstated = await call(d.t.kemendag, 'POST', `/v1/objections/${counter.id}/decision`, {
    outcome: 'upheld',
    note: 'Licence verified with the Directorate of Imports.',
  });
  say(
    `  shopee takes ${authorised.id} down with a statement of reasons (account warned), then objects for the seller; upheld: ${reinstated.linkStatus}`,
  );
  const retry = await call(d.t.shopee, 'POST', '/v1/links/acknowledgements', {
    items: [{ linkId: authorised.id, status: 'taken_down' }],
  });
  say(`  a takedown of the reinstated link is refused: ${(retry.results as Json[])[0].error}`);
}
