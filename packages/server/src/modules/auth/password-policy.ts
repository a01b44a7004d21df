/**
 * Password rules (A2): 8–128 characters of any Unicode, no composition rules, and not
 * one of the most common passwords (the zxcvbn list, ~49k entries), not the account's
 * own username or email, and not a pattern anyone tries first: one character repeated
 * (or a short run of them, `abababab`), a run of consecutive characters (`abcdefgh`,
 * `98765432`) or a run along a keyboard row (`poiuytrewq`). Only whole passwords are
 * refused; a password that merely contains such a run is fine.
 */

import { PASSWORD_MAX, PASSWORD_MIN } from '@parley/protocol';
import { dictionary } from '@zxcvbn-ts/language-common';
import { AppError, validationFailed } from '../../errors.js';

const COMMON_PASSWORDS = new Set((dictionary.passwords as string[]).filter((p) => p.length >= PASSWORD_MIN).map((p) => p.toLowerCase()));

/** A password this short repeated over and over is as weak as one character repeated. */
const MAX_REPEATED_UNIT = 3;

/** Keyboard rows (QWERTY, QWERTZ, AZERTY) and the letter rows run together, as people sweep them. */
const KEYBOARD_RUNS = [
  '`1234567890-=',
  'qwertyuiop[]\\',
  "asdfghjkl;'",
  'zxcvbnm,./',
  'qwertyuiopasdfghjklzxcvbnm',
  'qwertzuiopasdfghjklyxcvbnm',
  'azertyuiopqsdfghjklmwxcvbn',
];

const weak = (field: string, rule: string) =>
  new AppError('weak_password', `${field} is too common or too easy to guess; choose another`, { location: 'body', field, rule });

function isRepeatedUnit(chars: string[]): boolean {
  for (let unit = 1; unit <= MAX_REPEATED_UNIT; unit += 1) {
    if (chars.every((char, i) => char === chars[i % unit])) return true;
  }
  return false;
}

/** Every step +1 or every step −1 in code points (digits wrap: `7890123`). */
function isConsecutiveRun(chars: string[]): boolean {
  const steps = chars.slice(1).map((char, i) => {
    const previous = chars[i] ?? '';
    const step = (char.codePointAt(0) ?? 0) - (previous.codePointAt(0) ?? 0);
    if (previous === '9' && char === '0') return 1;
    if (previous === '0' && char === '9') return -1;
    return step;
  });
  return steps.every((step) => step === 1) || steps.every((step) => step === -1);
}

function isKeyboardRun(lowered: string): boolean {
  const backwards = [...lowered].reverse().join('');
  return KEYBOARD_RUNS.some((row) => row.includes(lowered) || row.includes(backwards));
}

export function checkPasswordPolicy(password: string, field: string, identity: string[] = []): void {
  const normalized = password.normalize('NFC');
  // Counted in code points so an emoji is one character, as a person counts it.
  const length = [...normalized].length;
  if (length < PASSWORD_MIN) {
    throw validationFailed(field, 'minLength', `${field} must be at least ${PASSWORD_MIN} characters`);
  }
  if (length > PASSWORD_MAX) {
    throw validationFailed(field, 'maxLength', `${field} must be at most ${PASSWORD_MAX} characters`);
  }
  const lowered = normalized.toLowerCase();
  if (COMMON_PASSWORDS.has(lowered) || identity.some((part) => part && lowered === part.toLowerCase())) throw weak(field, 'common');
  const chars = [...lowered];
  if (isRepeatedUnit(chars)) throw weak(field, 'repeated');
  if (isConsecutiveRun(chars) || isKeyboardRun(lowered)) throw weak(field, 'sequence');
}
