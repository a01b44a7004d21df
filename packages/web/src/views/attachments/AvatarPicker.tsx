/**
 * Your profile photo in Settings: pick an image, crop it to a square with a preview
 * (AvatarCropDialog), and the square uploads (purpose `avatar`); the server makes its list
 * and profile sizes in a background job, and once they exist it becomes your photo — for
 * everyone who shares a chat with you, live. Remove goes back to the initials.
 */
import type { Me } from '@parley/protocol';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { explainError } from '../../api/errors.js';
import { Avatar } from '../../components/Avatar.js';
import { showToast } from '../../state/toasts.js';
import { AvatarCropDialog } from './AvatarCropDialog.js';
import { setMyPhoto, uploadAvatar } from './avatar-actions.js';

export function AvatarPicker({ me, name, onChanged }: { me: Me; name: string; onChanged(me: Me): void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [cropping, setCropping] = useState<File | null>(null);
  const stopCropping = useCallback(() => setCropping(null), []);
  const apply = async (fileId: string | null) => {
    const user = await setMyPhoto(fileId);
    onChanged({ ...me, avatarId: user.avatarId ?? null });
  };
  const pick = async (file: File) => {
    setCropping(null);
    setBusy(true);
    try {
      await apply(await uploadAvatar(file));
    } catch (error) {
      showToast(t('attachments.avatarFailed', { reason: explainError(error, t).message }), 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="avatar-picker">
      <Avatar id={me.id} name={name} size={64} imageId={me.avatarId ?? null} />
      <label className="button button-ghost avatar-picker-upload" aria-disabled={busy || undefined}>
        {busy ? t('attachments.processing') : t('attachments.avatarChange')}
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
      {cropping && <AvatarCropDialog file={cropping} onCancel={stopCropping} onCropped={(photo) => void pick(photo)} />}
      {me.avatarId && (
        <button type="button" className="link-button" disabled={busy} onClick={() => void apply(null).catch(() => undefined)}>
          {t('attachments.avatarRemove')}
        </button>
      )}
    </div>
  );
}
