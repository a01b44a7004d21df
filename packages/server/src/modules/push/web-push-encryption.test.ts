/**
 * The push endpoint the Web Push tests decrypt with (test/push-endpoint.ts) is RFC 8291's
 * own reading: it decrypts the RFC's worked example (Appendix A) to its plaintext, and a
 * body changed by one byte does not decrypt. So a push that decrypts there is one a
 * browser could read, not merely one that agrees with the library that encrypted it.
 */
import { createECDH } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptPush } from '../../test/push-endpoint.js';

// RFC 8291 Appendix A: the user agent's keys, the auth secret and the encrypted push message.
const UA_PRIVATE = 'q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94';
const UA_PUBLIC = 'BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4';
const AUTH_SECRET = 'BTBZMqHH6r4Tts7J_aSIgg';
const BODY =
  'DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN';

function userAgent() {
  const ua = createECDH('prime256v1');
  ua.setPrivateKey(Buffer.from(UA_PRIVATE, 'base64url'));
  return ua;
}

describe('Web Push decryption in tests (RFC 8291)', () => {
  it('decrypts the RFC’s worked example to its plaintext', () => {
    const ua = userAgent();
    expect(ua.getPublicKey().toString('base64url')).toBe(UA_PUBLIC);
    const plain = decryptPush(Buffer.from(BODY, 'base64url'), ua, Buffer.from(AUTH_SECRET, 'base64url'));
    expect(plain.toString('utf8')).toBe('When I grow up, I want to be a watermelon');
  });

  it('refuses the example with one byte of its ciphertext changed, or with another auth secret', () => {
    const tampered = Buffer.from(BODY, 'base64url');
    tampered[tampered.length - 20] = (tampered[tampered.length - 20] ?? 0) ^ 1;
    expect(() => decryptPush(tampered, userAgent(), Buffer.from(AUTH_SECRET, 'base64url'))).toThrow();
    expect(() => decryptPush(Buffer.from(BODY, 'base64url'), userAgent(), Buffer.alloc(16, 7))).toThrow();
  });
});
