import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** Loads a PEM private key, or generates one (mode 0600) when the file does not exist yet. */
export function loadOrCreatePrivateKey(file: string, kind: 'ec-p256' | 'ed25519'): KeyObject {
  if (existsSync(file)) return createPrivateKey(readFileSync(file));
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const { privateKey } =
    kind === 'ec-p256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
  writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  return privateKey;
}

/** RFC 7638 thumbprint, so a key id is derived from the key and never drifts from it. */
export function jwkThumbprint(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' }) as Record<string, string>;
  const members =
    jwk.kty === 'EC'
      ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }
      : { crv: jwk.crv, kty: jwk.kty, x: jwk.x };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

/** The public JWK of a key pair's private half, or of a public key as it is. */
export function publicJwk(key: KeyObject, extra: Record<string, string>): Record<string, string> {
  const publicKey = key.type === 'public' ? key : createPublicKey(key);
  return {
    ...(publicKey.export({ format: 'jwk' }) as Record<string, string>),
    kid: jwkThumbprint(publicKey),
    ...extra,
  };
}
