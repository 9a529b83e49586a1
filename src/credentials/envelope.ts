import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';

/** AES-256-GCM output as a vault record keeps it (base64 text). */
export interface Sealed {
  readonly iv: string;
  readonly tag: string;
  readonly ciphertext: string;
}

/** Names a key without revealing it: 64 bits of its SHA-256. */
export const keyFingerprint = (key: Buffer): string => createHash('sha256').update(key).digest('hex').slice(0, 16);

/**
 * Encrypts with a fresh 12-byte IV. The additional authenticated data binds the ciphertext
 * to where it is kept: copied under another name, it fails to open.
 */
export function seal(key: Buffer, plaintext: Buffer, aad: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return {
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
}

/** Decrypts and authenticates; null when the key, the data or the binding is wrong. */
export function unseal(key: Buffer, sealed: Sealed, aad: string): Buffer | null {
  return unsealRaw(
    key,
    Buffer.from(sealed.iv, 'base64'),
    Buffer.from(sealed.tag, 'base64'),
    Buffer.from(sealed.ciphertext, 'base64'),
    aad,
  );
}

export function unsealRaw(key: Buffer, iv: Buffer, tag: Buffer, ciphertext: Buffer, aad: string): Buffer | null {
  try {
    const decipher = createDecipheriv(ALGORITHM, key, iv);
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    return null;
  }
}

/** The sealed fields of a vault record, checked for shape (a record is data read back from a store). */
export function sealedOf(record: Readonly<Record<string, unknown>>): Sealed | null {
  const { iv, tag, ciphertext } = record;
  return typeof iv === 'string' && typeof tag === 'string' && typeof ciphertext === 'string'
    ? { iv, tag, ciphertext }
    : null;
}
