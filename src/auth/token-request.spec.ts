import { AppError } from '../errors/app-error';
import { BASIC_CHALLENGE, oauthErrorCode } from './oauth-errors';
import { readTokenRequest, TokenRequest } from './token-request';

const ID = '6f9619ff-8b86-4011-b42d-00cf4fc964ff';
const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
const grant = { grant_type: 'client_credentials' };

/** The request read, or the OAuth error with its status and whether it challenges with Basic. */
function outcome(body: unknown, authorization?: string): TokenRequest | [number, string, boolean] {
  try {
    return readTokenRequest(body, authorization);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return [error.status, oauthErrorCode(error), error.headers?.['WWW-Authenticate'] === BASIC_CHALLENGE];
  }
}

describe('readTokenRequest', () => {
  const cases: [string, unknown, string | undefined, TokenRequest | [number, string, boolean]][] = [
    [
      'client_secret_post',
      { ...grant, client_id: ID, client_secret: 's3cret' },
      undefined,
      { clientId: ID, clientSecret: 's3cret', method: 'client_secret_post', scope: [] },
    ],
    [
      'client_secret_basic, its parts form-urlencoded (RFC 6749 §2.3.1)',
      grant,
      basic(ID, 'a b:c+d%é'),
      { clientId: ID, clientSecret: 'a b:c+d%é', method: 'client_secret_basic', scope: [] },
    ],
    [
      "Basic with '+' for a space, as form encoding writes it",
      grant,
      `Basic ${Buffer.from(`${ID}:a+b`).toString('base64')}`,
      { clientId: ID, clientSecret: 'a b', method: 'client_secret_basic', scope: [] },
    ],
    [
      'Basic with the same client_id in the body',
      { ...grant, client_id: ID },
      basic(ID, 'x'),
      { clientId: ID, clientSecret: 'x', method: 'client_secret_basic', scope: [] },
    ],
    [
      'a scope, and unknown parameters ignored (RFC 6749 §3.2)',
      { ...grant, client_id: ID, client_secret: 'x', scope: 'ministry', resource: 'https://x.example', n: 1 },
      undefined,
      { clientId: ID, clientSecret: 'x', method: 'client_secret_post', scope: ['ministry'] },
    ],
    [
      'an empty parameter counts as omitted',
      { ...grant, client_id: ID, client_secret: 'x', scope: '' },
      '',
      { clientId: ID, clientSecret: 'x', method: 'client_secret_post', scope: [] },
    ],
    ['no body', undefined, undefined, [400, 'invalid_request', false]],
    ['a JSON array', [grant], undefined, [400, 'invalid_request', false]],
    ['no grant_type', { client_id: ID, client_secret: 'x' }, undefined, [400, 'invalid_request', false]],
    [
      'another grant type',
      { grant_type: 'password', client_id: ID, client_secret: 'x' },
      undefined,
      [400, 'unsupported_grant_type', false],
    ],
    [
      'a repeated parameter (a form body gives an array)',
      { grant_type: ['client_credentials', 'client_credentials'], client_id: ID, client_secret: 'x' },
      undefined,
      [400, 'invalid_request', false],
    ],
    [
      'a parameter that is not a string',
      { ...grant, client_id: ID, client_secret: 12 },
      undefined,
      [400, 'invalid_request', false],
    ],
    [
      'Basic and client_secret in the body',
      { ...grant, client_id: ID, client_secret: 'x' },
      basic(ID, 'x'),
      [400, 'invalid_request', false],
    ],
    [
      'client_secret and a client_assertion',
      { ...grant, client_id: ID, client_secret: 'x', client_assertion: 'eyJ' },
      undefined,
      [400, 'invalid_request', false],
    ],
    [
      'Basic with another client_id in the body',
      { ...grant, client_id: '00000000-0000-4000-8000-000000000000' },
      basic(ID, 'x'),
      [400, 'invalid_request', false],
    ],
    [
      'client_secret without client_id',
      { ...grant, client_secret: 'x' },
      undefined,
      [400, 'invalid_request', false],
    ],
    ['no client authentication', { ...grant, client_id: ID }, undefined, [401, 'invalid_client', true]],
    [
      'a client_assertion alone',
      { ...grant, client_assertion: 'eyJ' },
      undefined,
      [401, 'invalid_client', true],
    ],
    ['a Bearer header', grant, 'Bearer abc', [401, 'invalid_client', true]],
    ['Basic that is not base64', grant, 'Basic ***', [401, 'invalid_client', true]],
    [
      'Basic without a colon',
      grant,
      `Basic ${Buffer.from(ID).toString('base64')}`,
      [401, 'invalid_client', true],
    ],
    [
      'Basic with broken percent-encoding',
      grant,
      `Basic ${Buffer.from(`${ID}:%zz`).toString('base64')}`,
      [401, 'invalid_client', true],
    ],
    [
      'Basic with an empty secret',
      grant,
      `Basic ${Buffer.from(`${ID}:`).toString('base64')}`,
      [401, 'invalid_client', true],
    ],
    [
      'a malformed scope',
      { ...grant, client_id: ID, client_secret: 'x', scope: 'a"b' },
      undefined,
      [400, 'invalid_scope', false],
    ],
  ];

  it.each(cases)('%s', (_, body, authorization, expected) => {
    expect(outcome(body, authorization)).toEqual(expected);
  });
});

describe('oauthErrorCode', () => {
  it.each([
    [400, 'MALFORMED_BODY', 'invalid_request'],
    [413, 'PAYLOAD_TOO_LARGE', 'invalid_request'],
    [415, 'UNSUPPORTED_MEDIA_TYPE', 'invalid_request'],
    [429, 'RATE_LIMITED', 'temporarily_unavailable'],
    [503, 'SERVICE_UNAVAILABLE', 'temporarily_unavailable'],
    [500, 'INTERNAL', 'server_error'],
    [401, 'UNAUTHORIZED', 'invalid_client'],
    [400, 'INVALID_SCOPE', 'invalid_scope'],
  ])('%i %s is %s', (status, code, expected) => {
    expect(oauthErrorCode(new AppError(status, code, 'Title'))).toBe(expected);
  });
});
