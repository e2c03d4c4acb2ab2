import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSecretBox, DecryptError } from '../../src/security/crypto.js';

const box = createSecretBox('k'.repeat(32));
const other = createSecretBox('o'.repeat(32));

describe('secret box', () => {
  it('round-trips any text and never stores it in clear', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (plain) => {
        const sealed = box.encrypt(plain);
        expect(box.decrypt(sealed)).toBe(plain);
        if (plain.length > 3) expect(sealed).not.toContain(plain);
      }),
    );
  });

  it('two encryptions of one token differ (random IV)', () => {
    expect(box.encrypt('xoxb-123')).not.toBe(box.encrypt('xoxb-123'));
  });

  it('refuses a wrong key or a tampered value', () => {
    const sealed = box.encrypt('xoxb-secret');
    expect(() => other.decrypt(sealed)).toThrow(DecryptError);
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => box.decrypt(parts.join('.'))).toThrow(DecryptError);
    expect(() => box.decrypt('garbage')).toThrow(DecryptError);
  });

  it('signed links verify only with the same key and unchanged payload', () => {
    const token = box.sign('network:1:exp:99');
    expect(box.verify(token)).toBe('network:1:exp:99');
    expect(other.verify(token)).toBeNull();
    const [body, sig] = token.split('.');
    const forged = `${Buffer.from('network:2:exp:99').toString('base64url')}.${sig}`;
    expect(box.verify(forged)).toBeNull();
    expect(box.verify(`${body}.`)).toBeNull();
    expect(box.verify('nodot')).toBeNull();
  });

  it('keyed hashes are stable per key and purpose', () => {
    expect(box.hmac('forget', 'U1')).toBe(box.hmac('forget', 'U1'));
    expect(box.hmac('forget', 'U1')).not.toBe(other.hmac('forget', 'U1'));
    expect(box.hmac('forget', 'U1')).not.toBe(box.hmac('other', 'U1'));
  });
});
