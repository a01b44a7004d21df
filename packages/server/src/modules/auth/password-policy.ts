/**
 * Password rules (A2): 8–128 characters of any Unicode, no composition rules, and not
 * one of the most common passwords (the zxcvbn list, ~49k entries), nor the account's
 * own username or email.
 */

import { PASSWORD_MAX, PASSWORD_MIN } from '@parley/protocol';
import { dictionary } from '@zxcvbn-ts/language-common';
import { AppError, validationFailed } from '../../errors.js';

const COMMON_PASSWORDS = new Set((dictionary.passwords as string[]).filter((p) => p.length >= PASSWORD_MIN).map((p) => p.toLowerCase()));

export function checkPasswordPolicy(password: string, field: string, identity: string[] = []): void {
  // Counted in code points so an emoji is one character, as a person counts it.
  const length = [...password.normalize('NFC')].length;
  if (length < PASSWORD_MIN) {
    throw validationFailed(field, 'minLength', `${field} must be at least ${PASSWORD_MIN} characters`);
  }
  if (length > PASSWORD_MAX) {
    throw validationFailed(field, 'maxLength', `${field} must be at most ${PASSWORD_MAX} characters`);
  }
  const lowered = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lowered) || identity.some((part) => part && lowered === part.toLowerCase())) {
    throw new AppError('weak_password', `${field} is too common or too easy to guess; choose another`, {
      location: 'body',
      field,
      rule: 'common',
    });
  }
}
