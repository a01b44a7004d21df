/**
 * Turns API errors into what a person reads: a translated sentence and, when the server
 * named one (`error.details.field`), the form field it belongs next to. Branches on the
 * stable error codes only; the server's English message is never shown.
 */
import { PASSWORD_MAX, PASSWORD_MIN } from '@parley/protocol';
import { ParleyApiError } from '@parley/sdk';
import type { TFunction } from 'i18next';

export interface ErrorExplanation {
  /** The form field to show the message next to, or null for the whole form. */
  field: string | null;
  message: string;
}

const PASSWORD_FIELDS = new Set(['password', 'newPassword', 'oldPassword']);

function detailString(error: ParleyApiError, key: string): string | null {
  const value = error.details?.[key];
  return typeof value === 'string' && value !== '' ? value : null;
}

function explainValidation(field: string | null, rule: string | null, t: TFunction): string {
  if (rule === 'required') return t('errors.required');
  if (field === 'email') return t('errors.emailFormat');
  if (field === 'username') return t('errors.usernameFormat');
  if (field && PASSWORD_FIELDS.has(field) && (rule === 'minLength' || rule === 'maxLength')) {
    return t('errors.passwordLength', { min: PASSWORD_MIN, max: PASSWORD_MAX });
  }
  if (rule === 'minLength') return t('errors.tooShort');
  if (rule === 'maxLength') return t('errors.tooLong');
  return t('errors.invalid');
}

export function explainError(error: unknown, t: TFunction): ErrorExplanation {
  if (!(error instanceof ParleyApiError)) return { field: null, message: t('errors.unknown') };
  const field = detailString(error, 'field');
  switch (error.code) {
    case 'validation_failed':
      return { field, message: explainValidation(field, detailString(error, 'rule'), t) };
    case 'weak_password':
      return { field: field ?? 'password', message: t('errors.passwordCommon') };
    case 'username_taken':
      return { field: 'username', message: t('errors.usernameTaken') };
    case 'email_taken':
      return { field: 'email', message: t('errors.emailTaken') };
    case 'handle_taken':
      return { field: 'handle', message: t('errors.handleTaken') };
    case 'privacy_restricted':
      return { field: null, message: t('contacts.errors.privacy') };
    case 'forbidden':
      return { field: null, message: t('errors.forbidden') };
    case 'invalid_credentials':
      return field ? { field, message: t('errors.wrongPassword') } : { field: null, message: t('errors.invalidLogin') };
    case 'rate_limited':
      return {
        field: null,
        message: error.retryAfterSeconds ? t('errors.rateLimited', { seconds: error.retryAfterSeconds }) : t('errors.rateLimitedSoon'),
      };
    case 'network_error':
      return { field: null, message: t('errors.network') };
    case 'csrf_failed':
      return { field: null, message: t('errors.sessionCheck') };
    case 'session_not_found':
      return { field: null, message: t('errors.sessionNotFound') };
    case 'account_suspended':
      return { field: null, message: t('admin.errors.suspended', { reason: detailString(error, 'reason') ?? '' }) };
    case 'sign_up_closed':
      return { field: null, message: t('admin.errors.signUpClosed') };
    case 'invite_required':
      return { field: null, message: t('admin.errors.inviteRequired') };
    case 'invite_invalid':
      return { field: null, message: t('admin.errors.inviteInvalid') };
    case 'internal_error':
    case 'unavailable':
      return { field: null, message: t('errors.server') };
    default:
      return { field: null, message: t('errors.unknown') };
  }
}

/** The message for `field`, if the explained error belongs to it. */
export const messageFor = (explanation: ErrorExplanation | null, field: string) =>
  explanation?.field === field ? explanation.message : undefined;

/** The message for the form as a whole: errors not tied to one of the form's fields. */
export const formMessage = (explanation: ErrorExplanation | null, fields: readonly string[]) =>
  explanation && (explanation.field === null || !fields.includes(explanation.field)) ? explanation.message : undefined;
