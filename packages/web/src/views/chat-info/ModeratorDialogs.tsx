/**
 * Confirmations for server moderation inside a conversation (issue 15): removing someone
 * else's message, or a member, as a server moderator or admin. Both go through the admin
 * API, which checks the server role again and records the action in the audit log; the
 * change reaches every member live (`message.deleted`, `member.left`).
 */
import type { Chat, ChatMember, Message } from '@parley/protocol';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { explainError } from '../../api/errors.js';
import { Button } from '../../components/Button.js';
import { Dialog } from '../../components/Dialog.js';
import { FormMessage } from '../../components/fields.js';
import { adminActions } from '../../state/admin.js';
import { applyLeft } from '../../state/members.js';
import { applyDeleted } from '../../state/messages.js';
import { plainText } from '../../text/markdown.js';

function ModeratorConfirm({
  title,
  body,
  action,
  onConfirm,
  onClose,
  children,
}: {
  title: string;
  body: string;
  action: string;
  onConfirm(): Promise<void>;
  onClose(): void;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = async () => {
    setBusy(true);
    try {
      await onConfirm();
      onClose();
    } catch (failure) {
      setError(explainError(failure, t).message);
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={title}
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button variant="danger" busy={busy} onClick={() => void confirm()}>
            {action}
          </Button>
        </>
      }
    >
      <p>{body}</p>
      {children}
      <FormMessage tone="error">{error}</FormMessage>
    </Dialog>
  );
}

export function ModeratorRemoveMessageDialog({ message, chat, onClose }: { message: Message; chat: Chat; onClose(): void }) {
  const { t } = useTranslation();
  return (
    <ModeratorConfirm
      title={t('moderation.removeMessageTitle')}
      body={t('moderation.removeMessageBody')}
      action={t('moderation.removeMessageConfirm')}
      onConfirm={async () => {
        await adminActions.removeMessage(chat.id, message.id);
        applyDeleted(chat.id, message.id, new Date().toISOString());
      }}
      onClose={onClose}
    >
      <blockquote className="forward-preview" dir="auto">
        {plainText(message.text)}
      </blockquote>
    </ModeratorConfirm>
  );
}

export function ModeratorRemoveMemberDialog({
  chat,
  member,
  name,
  onClose,
}: {
  chat: Chat;
  member: ChatMember;
  name: string;
  onClose(): void;
}) {
  const { t } = useTranslation();
  return (
    <ModeratorConfirm
      title={t('moderation.removeMemberTitle', { name })}
      body={t('moderation.removeMemberBody')}
      action={t('moderation.removeMemberConfirm')}
      onConfirm={async () => {
        await adminActions.removeMember(chat.id, member.user.id);
        applyLeft(chat.id, member.user.id);
      }}
      onClose={onClose}
    />
  );
}
