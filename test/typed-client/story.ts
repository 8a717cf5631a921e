/**
 * The exchange's story told through a client generated from openapi/openapi.json, as an integrator would write it:
 * openapi-typescript's types, openapi-fetch's calls, no casts. `npm run client:check` compiles this file with
 * `tsc --strict`; test/typed-client.e2e-spec.ts runs it against the real API, so both the types and the answers hold.
 */
import createClient from 'openapi-fetch';
import type { paths } from '../../openapi/openapi';

export interface StoryCredentials {
  clientId: string;
  clientSecret: string;
}

/** Throws with the problem document when a call did not succeed; otherwise gives its typed data. */
function ok<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) {
    throw new Error(`${result.response.status} ${JSON.stringify(result.error)}`);
  }
  return result.data;
}

export async function story(
  baseUrl: string,
  parties: {
    operator: StoryCredentials;
    ministry: StoryCredentials;
    marketplace: StoryCredentials;
    police: StoryCredentials;
  },
  marketplaceDomain: string,
): Promise<string[]> {
  const told: string[] = [];
  const anonymous = createClient<paths, `${string}/${string}json`>({ baseUrl });
  const as = async (party: StoryCredentials) => {
    const token = ok(
      await anonymous.POST('/v1/auth/token', {
        body: {
          grant_type: 'client_credentials',
          client_id: party.clientId,
          client_secret: party.clientSecret,
        },
      }),
    );
    return createClient<paths, `${string}/${string}json`>({
      baseUrl,
      headers: { Authorization: `Bearer ${token.access_token}` },
    });
  };
  const operator = await as(parties.operator);
  const ministry = await as(parties.ministry);
  const marketplace = await as(parties.marketplace);
  const police = await as(parties.police);

  const agencies = ok(await operator.GET('/v1/agencies', { params: { query: {} } }));
  told.push(`operator sees ${agencies.items.length} agencies`);

  const keyword = ok(await ministry.POST('/v1/keywords', { body: { term: `preloved ${Date.now()}` } }));
  told.push(`keyword ${keyword.term} at version ${keyword.version}`);

  const url = `https://${marketplaceDomain}/Kemeja-Bekas-i.1.${Date.now()}`;
  const batch = ok(
    await ministry.POST('/v1/link-batches', {
      params: { header: { 'Idempotency-Key': `story-${Date.now()}` } },
      body: { reference: `STORY/${Date.now()}`, legalBasis: 'Permendag 18/2021', links: [{ url }] },
    }),
  );
  told.push(`batch ${batch.id}: ${batch.counts.accepted} accepted`);

  const links = ok(await marketplace.GET('/v1/links', { params: { query: { batchId: batch.id } } }));
  const link = links.items[0];
  told.push(`marketplace sees link ${link.id} as ${link.status}`);

  const acks = ok(
    await marketplace.POST('/v1/links/acknowledgements', {
      body: { items: [{ linkId: link.id, status: 'taken_down' }] },
    }),
  );
  told.push(`acknowledged: ${acks.results.map((r) => r.status).join(', ')}`);

  const detail = ok(await ministry.GET('/v1/links/{id}', { params: { path: { id: link.id } } }));
  told.push(`ministry sees link ${detail.id} as ${detail.status}`);

  const request = ok(
    await police.POST('/v1/evidence-requests', {
      body: {
        caseNumber: `LP/${Date.now()}`,
        legalBasis: 'KUHAP Pasal 7',
        purpose: 'Penyidikan impor pakaian bekas',
        scope: { batchIds: [batch.id] },
      },
    }),
  );
  told.push(`evidence request ${request.id} is ${request.status}`);

  const verified = ok(await operator.GET('/v1/audit/verify', { params: { query: {} } }));
  told.push(`audit trail ok: ${verified.ok}, ${verified.checked} events checked`);
  return told;
}
