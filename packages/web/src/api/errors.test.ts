import { ParleyApiError } from '@parley/sdk';
import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { en } from '../i18n/locales/en.js';
import { explainError, formMessage, messageFor } from './errors.js';

const i18n = i18next.createInstance();
beforeAll(() => i18n.init({ lng: 'en', resources: { en: { translation: en } }, interpolation: { escapeValue: false } }));
const explain = (error: unknown) => explainError(error, i18n.t);
const validation = (field: string, rule: string) =>
  new ParleyApiError(400, 'validation_failed', `${field} is bad`, { location: 'body', field, rule });

describe('explainError', () => {
  it('puts a taken username or email next to that field', () => {
    expect(explain(new ParleyApiError(409, 'username_taken', 'x', { field: 'username' }))).toEqual({
      field: 'username',
      message: 'This username is already taken.',
    });
    expect(explain(new ParleyApiError(409, 'email_taken', 'x'))).toEqual({
      field: 'email',
      message: 'An account with this email already exists.',
    });
  });

  it('names the field the server named for validation failures, worded by rule', () => {
    expect(explain(validation('newPassword', 'minLength'))).toEqual({ field: 'newPassword', message: 'Use 8–128 characters.' });
    expect(explain(validation('email', 'pattern'))).toEqual({ field: 'email', message: 'Enter an email address like name@example.org.' });
    expect(explain(validation('bio', 'maxLength'))).toEqual({ field: 'bio', message: 'Too long.' });
    expect(explain(validation('displayName', 'required'))).toEqual({ field: 'displayName', message: 'This field is required.' });
  });

  it('tells a wrong password for a named field apart from a failed sign-in', () => {
    const wrongOld = new ParleyApiError(401, 'invalid_credentials', 'x', { location: 'body', field: 'oldPassword', rule: 'password' });
    expect(explain(wrongOld)).toEqual({ field: 'oldPassword', message: 'The password is not correct.' });
    expect(explain(new ParleyApiError(401, 'invalid_credentials', 'x'))).toEqual({
      field: null,
      message: 'The username, email or password is not correct.',
    });
  });

  it('says how long to wait when rate limited, and never shows the server’s own English message', () => {
    expect(explain(new ParleyApiError(429, 'rate_limited', 'Too many failed logins', undefined, 42)).message).toBe(
      'Too many attempts. Try again in 42 seconds.',
    );
    expect(explain(new ParleyApiError(500, 'internal_error', 'stack trace here')).message).toBe(
      'Something went wrong on the server. Try again in a moment.',
    );
    expect(explain(new Error('boom'))).toEqual({ field: null, message: 'Something went wrong. Try again.' });
  });

  it('shows a field error at its field, and one about a field the form lacks at the form', () => {
    const onBio = { field: 'bio', message: 'Too long.' };
    expect(messageFor(onBio, 'bio')).toBe('Too long.');
    expect(messageFor(onBio, 'displayName')).toBeUndefined();
    expect(formMessage(onBio, ['bio'])).toBeUndefined();
    expect(formMessage(onBio, ['login', 'password'])).toBe('Too long.');
  });
});
