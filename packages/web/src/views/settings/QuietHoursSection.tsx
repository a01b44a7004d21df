/**
 * Quiet hours (★): a weekly schedule in this browser's time zone and "do not disturb
 * until …", kept on the server and synced to every device; pushes and emails wait while
 * they hold, with an option to let starred contacts' direct messages through.
 */
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { explainError } from '../../api/errors.js';
import { Button } from '../../components/Button.js';
import { FormMessage } from '../../components/fields.js';
import { formatDateTime } from '../../i18n/format.js';
import { updateNotificationSettings, useNotificationSettings } from '../../state/notification-settings.js';
import { newRuleKey, type QuietRule, toPeriods, toRules, WEEK } from './quiet-rules.js';
import { Section } from './Section.js';
import './notifications.css';

const toClock = (minute: number) => `${String(Math.floor(minute / 60) % 24).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
const fromClock = (value: string) => {
  const [h = '0', m = '0'] = value.split(':');
  return Number(h) * 60 + Number(m);
};

/** Localised short weekday name of `day` (0 = Sunday; 2026-03-01 is a Sunday). */
function weekdayName(day: number, language: string) {
  return new Intl.DateTimeFormat(language, { weekday: 'short', timeZone: 'UTC' }).format(Date.UTC(2026, 2, 1 + day));
}

const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

function RuleRow({ rule, onChange, onRemove }: { rule: QuietRule; onChange(rule: QuietRule): void; onRemove(): void }) {
  const { t, i18n } = useTranslation();
  const fromId = useId();
  const toId = useId();
  const toggle = (day: number) =>
    onChange({ ...rule, days: rule.days.includes(day) ? rule.days.filter((d) => d !== day) : [...rule.days, day] });
  return (
    <li className="quiet-rule">
      <fieldset className="quiet-days">
        <legend className="visually-hidden">{t('notify.quiet.days')}</legend>
        {WEEK.map((day) => (
          <label key={day} className="quiet-day">
            <input type="checkbox" checked={rule.days.includes(day)} onChange={() => toggle(day)} />
            <span>{weekdayName(day, i18n.language)}</span>
          </label>
        ))}
      </fieldset>
      <div className="quiet-times">
        <label htmlFor={fromId}>{t('notify.quiet.from')}</label>
        <input
          id={fromId}
          className="input input-compact"
          type="time"
          value={toClock(rule.start)}
          onChange={(e) => onChange({ ...rule, start: fromClock(e.target.value) })}
        />
        <label htmlFor={toId}>{t('notify.quiet.to')}</label>
        <input
          id={toId}
          className="input input-compact"
          type="time"
          value={toClock(rule.end)}
          onChange={(e) => onChange({ ...rule, end: fromClock(e.target.value) })}
        />
      </div>
      <Button variant="secondary" onClick={onRemove}>
        {t('notify.quiet.remove')}
      </Button>
    </li>
  );
}

const DND_CHOICES = [1, 2, 8] as const;

function tomorrowMorning(): Date {
  const at = new Date();
  at.setDate(at.getDate() + 1);
  at.setHours(8, 0, 0, 0);
  return at;
}

function DoNotDisturb() {
  const { t, i18n } = useTranslation();
  const settings = useNotificationSettings();
  const [problem, setProblem] = useState<string | null>(null);
  if (!settings) return null;
  const set = (until: Date | null) =>
    void updateNotificationSettings({ doNotDisturbUntil: until?.toISOString() ?? null }).catch((error: unknown) =>
      setProblem(explainError(error, t).message),
    );
  return (
    <div className="setting-row setting-row-stacked">
      <span className="field-label">{t('notify.quiet.dnd')}</span>
      {settings.doNotDisturbUntil ? (
        <div className="setting-row">
          <span className="quiet-status" role="status">
            {t('notify.quiet.dndUntil', { time: formatDateTime(settings.doNotDisturbUntil, i18n.language) })}
          </span>
          <Button variant="secondary" onClick={() => set(null)}>
            {t('notify.quiet.dndOff')}
          </Button>
        </div>
      ) : (
        <div className="quiet-times">
          {DND_CHOICES.map((hours) => (
            <Button key={hours} variant="secondary" onClick={() => set(new Date(Date.now() + hours * 3_600_000))}>
              {t(`notify.quiet.dndHours${hours}`)}
            </Button>
          ))}
          <Button variant="secondary" onClick={() => set(tomorrowMorning())}>
            {t('notify.quiet.dndTomorrow')}
          </Button>
        </div>
      )}
      <FormMessage tone="error">{problem ?? undefined}</FormMessage>
    </div>
  );
}

export function QuietHoursSection() {
  const { t } = useTranslation();
  const settings = useNotificationSettings();
  const [rules, setRules] = useState<QuietRule[] | null>(null);
  const [saved, setSaved] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const starredId = useId();

  // Another device's change replaces the schedule being shown (edits not yet saved included).
  useEffect(() => {
    if (settings) setRules(toRules(settings.quietHours));
  }, [settings]);

  if (!settings || !rules) return null;
  const zone = browserTimeZone();
  const save = async () => {
    setBusy(true);
    setSaved(false);
    setProblem(null);
    try {
      await updateNotificationSettings({ quietHours: toPeriods(rules), timeZone: zone });
      setSaved(true);
    } catch (error) {
      setProblem(explainError(error, t).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section title={t('notify.quiet.title')} description={t('notify.quiet.description')}>
      {settings.quietNow && (
        <p className="quiet-status" role="status">
          {t('notify.quiet.quietNow')}
        </p>
      )}
      <p className="field-hint">{t('notify.quiet.timeZone', { zone: settings.quietHours.length > 0 ? settings.timeZone : zone })}</p>
      <ul className="quiet-rules">
        {rules.map((rule) => (
          <RuleRow
            key={rule.key}
            rule={rule}
            onChange={(next) => setRules(rules.map((r) => (r.key === rule.key ? next : r)))}
            onRemove={() => setRules(rules.filter((r) => r.key !== rule.key))}
          />
        ))}
      </ul>
      <div className="form-actions">
        <Button
          variant="secondary"
          onClick={() => setRules([...rules, { key: newRuleKey(), days: [0, 1, 2, 3, 4, 5, 6], start: 22 * 60, end: 7 * 60 }])}
        >
          {t('notify.quiet.add')}
        </Button>
        <Button busy={busy} onClick={() => void save()}>
          {t('notify.quiet.save')}
        </Button>
      </div>
      <FormMessage tone={problem ? 'error' : 'success'}>{problem ?? (saved ? t('notify.quiet.saved') : undefined)}</FormMessage>
      <DoNotDisturb />
      <div className="setting-row">
        <label className="field-label" htmlFor={starredId}>
          {t('notify.quiet.allowStarred')}
        </label>
        <input
          id={starredId}
          className="switch"
          type="checkbox"
          role="switch"
          aria-checked={settings.quietAllowStarred}
          checked={settings.quietAllowStarred}
          onChange={(event) => void updateNotificationSettings({ quietAllowStarred: event.target.checked })}
        />
      </div>
    </Section>
  );
}
