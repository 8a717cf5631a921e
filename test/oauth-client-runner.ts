/**
 * Runs openid-client 6 against a listening API and prints what it got as one JSON line. openid-client is ESM-only
 * and jest's module system here is CommonJS, so the e2e spec runs this in its own node process
 * (node -r ts-node/register/transpile-only), where a native import() loads the library.
 *
 * Input (argv[2], JSON): jobs, each { server, discover: 'issuer' | 'metadata-url', clientId, clientSecret, method,
 * scope? }, run one after another in one process (starting one costs seconds). Output: one outcome per job,
 * { ok: true, metadata, token } or { ok: false, name, code, error?, error_description?, status?, retryAfter?, body?,
 * challenges? }.
 */
type OpenIdClient = typeof import('openid-client');

interface Job {
  server: string;
  discover: 'issuer' | 'metadata-url';
  clientId: string;
  clientSecret: string;
  method: 'client_secret_basic' | 'client_secret_post';
  scope?: string;
}

// TypeScript compiles import() to require() under CommonJS; this keeps it a native dynamic import. The text is a
// constant, so nothing is evaluated from input.
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const importEsm = new Function('specifier', 'return import(specifier)') as (
  s: string,
) => Promise<OpenIdClient>;

async function run(job: Job): Promise<Record<string, unknown>> {
  const client = await importEsm('openid-client');
  const auth =
    job.method === 'client_secret_basic'
      ? client.ClientSecretBasic(job.clientSecret)
      : client.ClientSecretPost(job.clientSecret);
  const server =
    job.discover === 'issuer'
      ? new URL(job.server)
      : new URL('/.well-known/oauth-authorization-server', job.server);
  try {
    // The test app listens on plain http://127.0.0.1, which openid-client refuses unless told.
    const config = await client.discovery(server, job.clientId, undefined, auth, {
      algorithm: 'oauth2',
      execute: [client.allowInsecureRequests],
    });
    const token = await client.clientCredentialsGrant(config, job.scope ? { scope: job.scope } : {});
    return { ok: true, metadata: config.serverMetadata(), token: { ...token } };
  } catch (err) {
    const e = err as Error & Record<string, unknown>;
    const response = e.response as globalThis.Response | undefined;
    return {
      ok: false,
      name: e.name,
      code: e.code,
      message: e.message,
      error: e.error,
      error_description: e.error_description,
      status: e.status,
      retryAfter: response?.headers.get('retry-after') ?? undefined,
      challenges: e.name === 'WWWAuthenticateChallengeError' ? e.cause : undefined,
      // ResponseBodyError keeps the parsed body as its cause; a challenge leaves the body unread.
      body: e.name === 'ResponseBodyError' ? e.cause : await response?.json().catch(() => undefined),
    };
  }
}

async function runAll(jobs: Job[]): Promise<Record<string, unknown>[]> {
  const outcomes = [];
  for (const job of jobs) outcomes.push(await run(job));
  return outcomes;
}

runAll(JSON.parse(process.argv[2]) as Job[]).then(
  (outcomes) => process.stdout.write(`${JSON.stringify(outcomes)}\n`),
  (err: unknown) => {
    process.stderr.write(`${String((err as Error)?.stack ?? err)}\n`);
    process.exitCode = 1;
  },
);
