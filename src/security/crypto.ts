/**
 * Secrets at rest and signed links, both keyed by KLIK_SECRET_KEY through HKDF-derived subkeys.
 * Tokens: AES-256-GCM, stored as "v1.<iv>.<tag>.<ciphertext>" (base64url).
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { KlikError } from '../core/errors.js';

export class DecryptError extends KlikError {
  constructor() {
    super('decrypt_failed', 'cannot decrypt: wrong key or damaged value');
  }
}

export interface SecretBox {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
  /** A keyed HMAC (hex), e.g. of a platform id that must not be kept in clear. */
  hmac(purpose: string, value: string): string;
  /** Signs a payload for a link; the result is URL-safe. */
  sign(payload: string): string;
  /** Returns the payload when the signature holds, else null. */
  verify(token: string): string | null;
}

function subkey(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), `klik:${purpose}`, 32));
}

export function createSecretBox(secretKey: string): SecretBox {
  const encKey = subkey(secretKey, 'encrypt');
  const macKey = subkey(secretKey, 'hmac');
  const signKey = subkey(secretKey, 'sign');

  const mac = (key: Buffer, data: string) => createHmac('sha256', key).update(data).digest();

  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return ['v1', iv.toString('base64url'), tag.toString('base64url'), body.toString('base64url')].join('.');
    },
    decrypt(sealed) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || body === undefined) throw new DecryptError();
      try {
        const decipher = createDecipheriv('aes-256-gcm', encKey, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw new DecryptError();
      }
    },
    hmac(purpose, value) {
      return mac(macKey, `${purpose}\u0000${value}`).toString('hex');
    },
    sign(payload) {
      const body = Buffer.from(payload, 'utf8').toString('base64url');
      return `${body}.${mac(signKey, body).toString('base64url')}`;
    },
    verify(token) {
      const parts = token.split('.');
      const [body, sig] = parts;
      if (parts.length !== 2 || !body || !sig) return null;
      // Compare the signature's text, not its decoded bytes: base64url decoding ignores stray
      // characters and the last character's spare bits, so other texts decode to the same bytes.
      const expected = Buffer.from(mac(signKey, body).toString('base64url'), 'utf8');
      const given = Buffer.from(sig, 'utf8');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      return Buffer.from(body, 'base64url').toString('utf8');
    },
  };
}
