/** Per chat (H2): push for all messages, mentions only, or nothing — the default is all in direct chats, mentions elsewhere. */
import type { ChatPushLevel } from '@parley/protocol';
import { useEffect, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { loadNotificationSettings, setChatLevel, settingsStore, useChatLevel } from '../../state/notification-settings.js';
import { showToast } from '../../state/toasts.js';

const LEVELS: ChatPushLevel['level'][] = ['default', 'all', 'mentions', 'nothing'];

export function ChatPushLevelField({ chatId, direct }: { chatId: string; direct: boolean }) {
  const { t } = useTranslation();
  const id = useId();
  const level = useChatLevel(chatId)?.level ?? 'default';

  useEffect(() => {
    if (!settingsStore.get()) void loadNotificationSettings().catch(() => undefined);
  }, []);

  const label = (option: ChatPushLevel['level']) =>
    option === 'default'
      ? t('notify.chatLevel.default', { level: t(direct ? 'notify.chatLevel.all' : 'notify.chatLevel.mentions') })
      : t(`notify.chatLevel.${option}`);
  return (
    <div className="setting-row">
      <label className="field-label" htmlFor={id}>
        {t('notify.chatLevel.label')}
      </label>
      <select
        id={id}
        className="input input-compact"
        value={level}
        onChange={(event) =>
          void setChatLevel(chatId, event.target.value as ChatPushLevel['level']).catch(() => showToast(t('errors.network'), 'error'))
        }
      >
        {LEVELS.map((option) => (
          <option key={option} value={option}>
            {label(option)}
          </option>
        ))}
      </select>
    </div>
  );
}
