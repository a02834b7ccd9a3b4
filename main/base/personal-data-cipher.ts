/**
 * Personal data at rest (domain.md §10.5, §14 item 10): ID numbers, photos and stored import previews are
 * encrypted with AES-256-GCM (Node's crypto, authenticated: a changed byte or the wrong key fails to
 * decrypt instead of giving garbage), and ID numbers are found again through a keyed blind index
 * (HMAC-SHA-256), never by their plain text. One 32-byte site key; every use has its own subkey derived
 * with HKDF, so the blind index cannot be turned into the encryption key or back.
 *
 * Text form of a sealed value: `v1.<iv>.<tag>.<ciphertext>` (base64url parts), so it fits a text column
 * on both engines. Bytes (photos) are sealed as `magic(4) iv(12) tag(16) ciphertext`.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';

export const SITE_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const TEXT_VERSION = 'v1';
/** "ESP1": exam-site photo, version 1. */
const BYTES_MAGIC = Buffer.from('ESP1', 'latin1');

/** A value could not be decrypted: the wrong key, or the stored bytes were changed. */
export class PersonalDataError extends Error {
  override name = 'PersonalDataError';
}

export type SealPurpose = 'id-number' | 'photo' | 'import-preview';

export class PersonalDataCipher {
  private readonly keys: Record<SealPurpose | 'blind-index' | 'check', Buffer>;

  /** `siteKey`: the site's 32 random bytes (main/privacy/site-key.ts keeps it). */
  constructor(siteKey: Uint8Array) {
    if (siteKey.length !== SITE_KEY_BYTES) {
      throw new PersonalDataError(`个人信息加密密钥应为 ${SITE_KEY_BYTES} 字节，实际 ${siteKey.length} 字节`);
    }
    const derive = (info: string) =>
      Buffer.from(hkdfSync('sha256', siteKey, Buffer.alloc(0), `exam-site/${info}`, 32));
    this.keys = {
      'id-number': derive('id-number'),
      photo: derive('photo'),
      'import-preview': derive('import-preview'),
      'blind-index': derive('blind-index'),
      check: derive('check'),
    };
  }

  /** A fresh random site key. */
  static generateKey(): Buffer {
    return randomBytes(SITE_KEY_BYTES);
  }

  /**
   * A fingerprint of the key, stored in the database: opening it with another key is refused before
   * anything is read or written. It reveals nothing about the key (HMAC of a constant under a subkey).
   */
  fingerprint(): string {
    return createHmac('sha256', this.keys.check).update('exam-site key check').digest('hex').slice(0, 32);
  }

  /** The blind index of a normalised ID number: equal numbers give equal indexes, under this site's key only. */
  blindIndex(value: string): string {
    return createHmac('sha256', this.keys['blind-index']).update(value, 'utf8').digest('base64url');
  }

  /** Encrypt a text (an ID number, a JSON document) for a text column. */
  sealText(plain: string, purpose: SealPurpose = 'id-number'): string {
    const iv = randomBytes(IV_BYTES);
    const c = createCipheriv('aes-256-gcm', this.keys[purpose], iv);
    c.setAAD(Buffer.from(purpose));
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return [
      TEXT_VERSION,
      iv.toString('base64url'),
      c.getAuthTag().toString('base64url'),
      body.toString('base64url'),
    ].join('.');
  }

  openText(sealed: string, purpose: SealPurpose = 'id-number'): string {
    const parts = sealed.split('.');
    if (parts.length !== 4 || parts[0] !== TEXT_VERSION) {
      throw new PersonalDataError('加密数据格式无法识别（不是本程序写入的密文）');
    }
    const [, iv, tag, body] = parts as [string, string, string, string];
    try {
      const d = createDecipheriv('aes-256-gcm', this.keys[purpose], Buffer.from(iv, 'base64url'));
      d.setAAD(Buffer.from(purpose));
      d.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([d.update(Buffer.from(body, 'base64url')), d.final()]).toString('utf8');
    } catch {
      throw new PersonalDataError('无法解密个人信息：密钥不对，或数据已被改动');
    }
  }

  sealJson(value: unknown, purpose: SealPurpose = 'import-preview'): string {
    return this.sealText(JSON.stringify(value), purpose);
  }

  openJson<T>(sealed: string, purpose: SealPurpose = 'import-preview'): T {
    return JSON.parse(this.openText(sealed, purpose)) as T;
  }

  /** Encrypt bytes (a photo) for a binary column. */
  sealBytes(plain: Uint8Array, purpose: SealPurpose = 'photo'): Buffer {
    const iv = randomBytes(IV_BYTES);
    const c = createCipheriv('aes-256-gcm', this.keys[purpose], iv);
    c.setAAD(Buffer.from(purpose));
    const body = Buffer.concat([c.update(plain), c.final()]);
    return Buffer.concat([BYTES_MAGIC, iv, c.getAuthTag(), body]);
  }

  /** True when the bytes are sealed by sealBytes (a photo stored before encryption is not). */
  static isSealedBytes(bytes: Uint8Array): boolean {
    return (
      bytes.length >= BYTES_MAGIC.length + IV_BYTES + TAG_BYTES && BYTES_MAGIC.equals(bytes.subarray(0, 4))
    );
  }

  openBytes(sealed: Uint8Array, purpose: SealPurpose = 'photo'): Buffer {
    if (!PersonalDataCipher.isSealedBytes(sealed)) {
      throw new PersonalDataError('加密数据格式无法识别（不是本程序写入的密文）');
    }
    const b = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
    const iv = b.subarray(4, 4 + IV_BYTES);
    const tag = b.subarray(4 + IV_BYTES, 4 + IV_BYTES + TAG_BYTES);
    try {
      const d = createDecipheriv('aes-256-gcm', this.keys[purpose], iv);
      d.setAAD(Buffer.from(purpose));
      d.setAuthTag(tag);
      return Buffer.concat([d.update(b.subarray(4 + IV_BYTES + TAG_BYTES)), d.final()]);
    } catch {
      throw new PersonalDataError('无法解密个人信息：密钥不对，或数据已被改动');
    }
  }
}

/** sha256 hex of bytes (photo checksums are taken of the plain photo). */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
