/**
 * A group's (or room's) photo in its info panel, for those who may edit the chat: pick an
 * image, crop it to a square (AvatarCropDialog), and it becomes the chat's photo for every
 * member, live (chat.updated); remove goes back to the initials.
 */
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { explainError } from '../../api/errors.js';
import { showToast } from '../../state/toasts.js';
import { AvatarCropDialog } from './AvatarCropDialog.js';
import { setGroupPhoto, uploadAvatar } from './avatar-actions.js';

export function GroupPhotoPicker({ chatId, avatarId }: { chatId: string; avatarId: string | null }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [cropping, setCropping] = useState<File | null>(null);
  const stopCropping = useCallback(() => setCropping(null), []);
  const apply = async (photo: () => Promise<string | null>) => {
    setCropping(null);
    setBusy(true);
    try {
      await setGroupPhoto(chatId, await photo());
    } catch (error) {
      showToast(t('attachments.avatarFailed', { reason: explainError(error, t).message }), 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="avatar-picker group-photo-picker">
      <label className="button button-ghost avatar-picker-upload" aria-disabled={busy || undefined}>
        {busy ? t('attachments.processing') : t('attachments.groupAvatarChange')}
        <input
          type="file"
          accept="image/jpeg,image/png,image/gif,image/webp,image/avif"
          className="visually-hidden"
          disabled={busy}
          onChange={(event) => {
            const file = event.target.files?.[0];
            event.target.value = '';
            if (file) setCropping(file);
          }}
        />
      </label>
      {avatarId && (
        <button type="button" className="link-button" disabled={busy} onClick={() => void apply(async () => null)}>
          {t('attachments.avatarRemove')}
        </button>
      )}
      {cropping && (
        <AvatarCropDialog file={cropping} onCancel={stopCropping} onCropped={(photo) => void apply(() => uploadAvatar(photo))} />
      )}
    </div>
  );
}
