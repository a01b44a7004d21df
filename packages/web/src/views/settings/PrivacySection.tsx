/** Privacy: hide your email from search; who may message you, add you to groups, see your last seen (reciprocal). */
import type { PrivacySettings, UpdatePrivacyBody } from '@parley/protocol';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parley } from '../../api/client.js';
import { explainError } from '../../api/errors.js';
import { showToast } from '../../state/toasts.js';
import { Section } from './Section.js';
import '../people/people.css';

type Audience = 'everyone' | 'contacts' | 'nobody';

function Choice({
  name,
  label,
  hint,
  value,
  options,
  onChange,
}: {
  name: string;
  label: string;
  hint?: string;
  value: Audience;
  options: readonly Audience[];
  onChange(value: Audience): void;
}) {
  const { t } = useTranslation();
  const labelId = useId();
  return (
    <div className="setting-row setting-row-stacked">
      <span className="field-label" id={labelId}>
        {label}
      </span>
      {hint && <p className="field-hint">{hint}</p>}
      <div className="segmented" role="radiogroup" aria-labelledby={labelId}>
        {options.map((option) => (
          <label key={option} className="segmented-option">
            <input type="radio" name={name} value={option} checked={value === option} onChange={() => onChange(option)} />
            <span className="segmented-face">{t(`contacts.privacy.${option}`)}</span>
          </label>
        ))}
      </div>
    </div>
  );
}

export function PrivacySection() {
  const { t } = useTranslation();
  const [privacy, setPrivacy] = useState<PrivacySettings | null>(null);
  const hideId = useId();
  useEffect(() => {
    parley.people.privacy().then(setPrivacy, () => undefined);
  }, []);
  const change = (body: UpdatePrivacyBody) => {
    if (!privacy) return;
    setPrivacy({ ...privacy, ...body });
    parley.people.updatePrivacy(body).then(setPrivacy, (error: unknown) => {
      showToast(explainError(error, t).message, 'error');
      parley.people.privacy().then(setPrivacy, () => undefined);
    });
  };
  return (
    <Section title={t('contacts.privacy.title')} description={t('contacts.privacy.description')}>
      {privacy && (
        <div className="privacy-settings" data-testid="privacy-settings">
          <div className="setting-row">
            <div>
              <label className="field-label" htmlFor={hideId}>
                {t('contacts.privacy.hideEmail')}
              </label>
              <p className="field-hint">{t('contacts.privacy.hideEmailHint')}</p>
            </div>
            <input
              id={hideId}
              className="switch"
              type="checkbox"
              role="switch"
              aria-checked={privacy.hideEmail}
              checked={privacy.hideEmail}
              onChange={(event) => change({ hideEmail: event.target.checked })}
            />
          </div>
          <Choice
            name="privacy-dm"
            label={t('contacts.privacy.directMessages')}
            value={privacy.directMessages}
            options={['everyone', 'contacts', 'nobody']}
            onChange={(directMessages) => change({ directMessages })}
          />
          <Choice
            name="privacy-groups"
            label={t('contacts.privacy.groupInvites')}
            value={privacy.groupInvites}
            options={['everyone', 'contacts']}
            onChange={(groupInvites) => change({ groupInvites: groupInvites === 'nobody' ? 'contacts' : groupInvites })}
          />
          <Choice
            name="privacy-last-seen"
            label={t('contacts.privacy.lastSeen')}
            hint={t('contacts.privacy.lastSeenHint')}
            value={privacy.lastSeen}
            options={['everyone', 'contacts', 'nobody']}
            onChange={(lastSeen) => change({ lastSeen })}
          />
        </div>
      )}
    </Section>
  );
}
