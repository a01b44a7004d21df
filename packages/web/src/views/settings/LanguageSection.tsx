/** The app language, kept on the account; "same as the browser" is the default. */
import type { UiLanguage } from '@parley/protocol';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { explainError } from '../../api/errors.js';
import { isLanguage, LANGUAGE_NAMES, LANGUAGES, pickLanguage } from '../../i18n/index.js';
import { chooseLanguage } from '../../state/language.js';
import { useMe, useSession } from '../../state/session.js';
import { showToast } from '../../state/toasts.js';
import { Section } from './Section.js';

const BROWSER = 'browser';

export function LanguageSection() {
  const { t } = useTranslation();
  const me = useMe();
  const session = useSession();
  const id = useId();
  const hintId = useId();
  const [saving, setSaving] = useState(false);
  const browserLanguage = LANGUAGE_NAMES[pickLanguage(navigator.languages)];

  const onChange = async (value: string) => {
    const choice: UiLanguage | null = value !== BROWSER && isLanguage(value) ? value : null;
    setSaving(true);
    try {
      session.meChanged(await chooseLanguage(choice));
      showToast(t('settings.language.saved'));
    } catch (error) {
      showToast(explainError(error, t).message, 'error');
    } finally {
      setSaving(false);
    }
  };

  return (
    <Section title={t('settings.language.title')}>
      <div className="setting-row setting-row-stacked">
        <label className="field-label" htmlFor={id}>
          {t('settings.language.label')}
        </label>
        <select
          id={id}
          className="input language-select"
          aria-describedby={hintId}
          value={me.language ?? BROWSER}
          disabled={saving}
          onChange={(event) => void onChange(event.target.value)}
        >
          <option value={BROWSER}>{t('settings.language.auto', { language: browserLanguage })}</option>
          {LANGUAGES.map((language) => (
            <option key={language} value={language} lang={language}>
              {LANGUAGE_NAMES[language]}
            </option>
          ))}
        </select>
        <p className="field-hint" id={hintId}>
          {t('settings.language.hint')}
        </p>
      </div>
    </Section>
  );
}
