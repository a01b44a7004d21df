/** Theme (light, dark, follow the system) and sounds; stored on this device only. */
import type { ReactNode } from 'react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { MonitorIcon, MoonIcon, SunIcon } from '../../components/icons.js';
import { setSoundEnabled, setTheme, type ThemePreference, useSoundEnabled, useTheme } from '../../state/preferences.js';
import { Section } from './Section.js';

const THEME_ICONS: Record<ThemePreference, ReactNode> = { light: <SunIcon />, dark: <MoonIcon />, system: <MonitorIcon /> };

export function AppearanceSection() {
  const { t } = useTranslation();
  const theme = useTheme();
  const sound = useSoundEnabled();
  const themeLabelId = useId();
  const soundId = useId();
  return (
    <Section title={t('settings.appearance.title')}>
      <div className="setting-row setting-row-stacked">
        <span className="field-label" id={themeLabelId}>
          {t('settings.appearance.theme')}
        </span>
        <div className="segmented" role="radiogroup" aria-labelledby={themeLabelId}>
          {(['light', 'dark', 'system'] as const).map((option) => (
            <label key={option} className="segmented-option">
              <input type="radio" name="theme" value={option} checked={theme === option} onChange={() => setTheme(option)} />
              <span className="segmented-face">
                {THEME_ICONS[option]}
                {t(`settings.appearance.${option}`)}
              </span>
            </label>
          ))}
        </div>
      </div>
      <div className="setting-row">
        <div>
          <label className="field-label" htmlFor={soundId}>
            {t('settings.appearance.sound')}
          </label>
          <p className="field-hint">{t('settings.appearance.soundHint')}</p>
        </div>
        <input
          id={soundId}
          className="switch"
          type="checkbox"
          role="switch"
          aria-checked={sound}
          checked={sound}
          onChange={(event) => setSoundEnabled(event.target.checked)}
        />
      </div>
    </Section>
  );
}
