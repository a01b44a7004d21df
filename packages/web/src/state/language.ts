/**
 * The account's language (J10): chosen in settings, kept on the account (Me.language) so
 * every device signed in follows it; null means "as the browser says". This device also
 * remembers the last language in use, so the sign-in screen already speaks it.
 */
import type { Me, UiLanguage } from '@parley/protocol';
import { useEffect } from 'react';
import { parley } from '../api/client.js';
import { applyLanguage, forgetDeviceLanguage, pickLanguage } from '../i18n/index.js';

/** Follows the signed-in account's choice whenever it is known or changes. */
export function useAccountLanguage(me: Pick<Me, 'language'>) {
  useEffect(() => {
    if (me.language) void applyLanguage(me.language);
  }, [me.language]);
}

/** Saves the choice on the account and switches to it (null: back to the browser's languages). */
export async function chooseLanguage(choice: UiLanguage | null): Promise<Me> {
  const me = await parley.users.updateMe({ language: choice });
  if (choice) await applyLanguage(choice);
  else {
    forgetDeviceLanguage();
    await applyLanguage(pickLanguage(navigator.languages), { remember: false });
  }
  return me;
}
