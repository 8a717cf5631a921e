import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const MIN_PEPPER_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HKDF_SALT = Buffer.from('takedown-exchange/idempotency-response/v1');

export interface Sealed {
  iv: Buffer;
  /** AES-256-GCM ciphertext followed by its 16-byte tag. */
  sealed: Buffer;
}

/**
 * What keeps a stored Idempotency-Key response unreadable from the database alone: records are found by
 * HMAC-SHA-256(pepper, clientId ‖ 0x00 ‖ key) and sealed with AES-256-GCM under HKDF-SHA-256(pepper, clientId ‖ 0x00 ‖ key),
 * the look-up hash as associated data. Neither the key nor the response can be read or tied to a key without the pepper.
 */
export class IdempotencySecrets {
  private constructor(private readonly pepper: Buffer) {}

  /** Reads the pepper file, or creates one (mode 0600) with 32 random bytes when it does not exist yet. */
  static fromFile(file: string): IdempotencySecrets {
    if (!existsSync(file)) {
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      writeFileSync(file, `${randomBytes(MIN_PEPPER_BYTES).toString('base64url')}\n`, {
        mode: 0o600,
        flag: 'wx',
      });
    }
    const pepper = Buffer.from(readFileSync(file, 'utf8').trim(), 'utf8');
    if (pepper.length < MIN_PEPPER_BYTES) {
      throw new Error(`The idempotency pepper in ${file} must hold at least ${MIN_PEPPER_BYTES} bytes`);
    }
    return new IdempotencySecrets(pepper);
  }

  static forTest(pepper: Buffer): IdempotencySecrets {
    return new IdempotencySecrets(pepper);
  }

  lookupHash(clientId: string, key: string): Buffer {
    return createHmac('sha256', this.pepper).update(identity(clientId, key)).digest();
  }

  seal(clientId: string, key: string, lookupHash: Buffer, plaintext: Buffer): Sealed {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.recordKey(clientId, key), iv).setAAD(lookupHash);
    return { iv, sealed: Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]) };
  }

  /** Throws when the record was altered, or belongs to another client or key. */
  open(clientId: string, key: string, lookupHash: Buffer, { iv, sealed }: Sealed): Buffer {
    const decipher = createDecipheriv('aes-256-gcm', this.recordKey(clientId, key), iv)
      .setAAD(lookupHash)
      .setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]);
  }

  private recordKey(clientId: string, key: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.pepper, HKDF_SALT, identity(clientId, key), 32));
  }
}

function identity(clientId: string, key: string): Buffer {
  return Buffer.from(`${clientId}\0${key}`, 'utf8');
}
