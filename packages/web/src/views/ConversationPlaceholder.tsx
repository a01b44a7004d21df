/** The right pane when no conversation is open. */
import { useTranslation } from 'react-i18next';
import { ChatsIcon } from '../components/icons.js';

export function ConversationPlaceholder() {
  const { t } = useTranslation();
  return (
    <div className="conversation-placeholder">
      <div className="conversation-placeholder-bubble">
        <ChatsIcon size={28} />
        <p className="conversation-placeholder-title">{t('shell.noConversationTitle')}</p>
        <p className="conversation-placeholder-body">{t('shell.noConversationBody')}</p>
      </div>
    </div>
  );
}
