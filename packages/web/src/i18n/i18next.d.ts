/** Makes `t('…')` keys type-checked against the English messages. */
import 'i18next';
import type { Messages } from './locales/en.js';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Messages };
  }
}
