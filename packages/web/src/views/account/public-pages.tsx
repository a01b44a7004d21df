/** The pages emails link to, shown whether or not someone is signed in. */
import type { ComponentType } from 'react';
import { ROUTES } from '../../state/router.js';
import { ForgotPasswordView } from './ForgotPasswordView.js';
import { ResetPasswordView } from './ResetPasswordView.js';
import { UnsubscribeView } from './UnsubscribeView.js';
import { VerifyEmailView } from './VerifyEmailView.js';

const PAGES: Record<string, ComponentType> = {
  [ROUTES.forgotPassword]: ForgotPasswordView,
  [ROUTES.resetPassword]: ResetPasswordView,
  [ROUTES.verifyEmail]: VerifyEmailView,
  [ROUTES.unsubscribe]: UnsubscribeView,
};

export const isPublicPage = (path: string) => Object.hasOwn(PAGES, path);

export function PublicPage({ path }: { path: string }) {
  const Page = PAGES[path];
  return Page ? <Page /> : null;
}
