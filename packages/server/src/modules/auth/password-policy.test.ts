import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.js';
import { checkPasswordPolicy } from './password-policy.js';

/** The AppError the policy throws for this password, or null when it accepts it. */
const refusal = (password: string, identity: string[] = [], field = 'password'): AppError | null => {
  try {
    checkPasswordPolicy(password, field, identity);
    return null;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
};

const summary = (error: AppError | null) => error && { status: error.status, code: error.code, details: error.details };

describe('password policy', () => {
  it('refuses fewer than 8 characters as validation_failed/minLength on the named field', () => {
    expect(summary(refusal('seven77', [], 'newPassword'))).toEqual({
      status: 400,
      code: 'validation_failed',
      details: { location: 'body', field: 'newPassword', rule: 'minLength' },
    });
    expect(refusal('')?.code).toBe('validation_failed');
  });

  it('accepts exactly 8 and exactly 128 characters', () => {
    expect(refusal('eight ch')).toBeNull();
    expect(refusal(`${'k'.repeat(127)}z`)).toBeNull();
  });

  it('refuses more than 128 characters as validation_failed/maxLength', () => {
    expect(summary(refusal('q'.repeat(129)))?.details).toEqual({ location: 'body', field: 'password', rule: 'maxLength' });
  });

  it('counts code points, not UTF-16 units: 8 emoji are enough, 7 are not, 128 fit and 129 do not', () => {
    expect(refusal('🐱🐶🦊🐻🐼🐨🐯🦁')).toBeNull();
    expect(refusal('🐱🐶🦊🐻🐼🐨🐯')?.details).toMatchObject({ rule: 'minLength' });
    expect(refusal(`${'🦁'.repeat(127)}🐱`)).toBeNull();
    expect(refusal('🦁'.repeat(129))?.details).toMatchObject({ rule: 'maxLength' });
  });

  it('counts after NFC normalisation, so a decomposed accent is one character', () => {
    // 14 code points as typed (e + combining acute, 7 times), 7 characters after NFC.
    expect(refusal('e\u0301'.repeat(7))?.details).toMatchObject({ rule: 'minLength' });
    expect(refusal(`${'e\u0301'.repeat(7)}x`)).toBeNull();
  });

  it('imposes no composition rules: any Unicode, spaces and a single repeated class are fine', () => {
    expect(refusal('correct horse battery staple')).toBeNull();
    expect(refusal('пароль для чата')).toBeNull();
    expect(refusal('كلمة سر طويلة')).toBeNull();
    expect(refusal('zzzzqqqqwwww')).toBeNull();
  });

  it('refuses a common password as weak_password/common, ignoring case', () => {
    for (const common of ['password', 'PASSWORD', 'Football', '12345678', 'qwertyuiop']) {
      expect(summary(refusal(common)), common).toEqual({
        status: 400,
        code: 'weak_password',
        details: { location: 'body', field: 'password', rule: 'common' },
      });
    }
  });

  it('refuses one character repeated, or a unit of up to 3 repeated, as weak_password/repeated', () => {
    for (const repeated of ['aaaaaaaa', 'ZZZZZZZZZZZZ', '🦁🦁🦁🦁🦁🦁🦁🦁', 'e\u0301'.repeat(8), 'abababab', 'xyzxyzxyz', '0000000000']) {
      expect(summary(refusal(repeated)), repeated).toEqual({
        status: 400,
        code: 'weak_password',
        details: { location: 'body', field: 'password', rule: 'repeated' },
      });
    }
    expect(refusal('aaaaaaab')).toBeNull();
  });

  it('refuses a run of consecutive characters or along a keyboard row, either way, as weak_password/sequence', () => {
    for (const run of [
      'abcdefgh',
      'HGFEDCBA',
      'mnopqrstuvw',
      '3456789012',
      '98765432',
      'абвгдежз',
      'poiuytrewq',
      'lkjhgfdsa',
      'zxcvbnm,',
      'qwertzuiop',
      'opasdfghj',
    ]) {
      expect(summary(refusal(run))?.details, run).toEqual({ location: 'body', field: 'password', rule: 'sequence' });
    }
  });

  it('allows a password that merely contains a run or a repeat', () => {
    expect(refusal('abcdefgh and then some')).toBeNull();
    expect(refusal('aaaaaaaa!')).toBeNull();
    expect(refusal('qwerty is my cat')).toBeNull();
    expect(refusal('acegikmo')).toBeNull();
  });

  it("refuses the account's own username or email, ignoring case, but allows a password that merely contains them", () => {
    const identity = ['anna_karenina', 'anna@example.org', 'anna'];
    expect(refusal('Anna_Karenina', identity)?.code).toBe('weak_password');
    expect(refusal('ANNA@example.org', identity)?.code).toBe('weak_password');
    expect(refusal('anna_karenina rides trains', identity)).toBeNull();
  });

  it('ignores empty identity parts instead of refusing everything', () => {
    expect(refusal('a fine passphrase', ['', ''])).toBeNull();
  });
});
