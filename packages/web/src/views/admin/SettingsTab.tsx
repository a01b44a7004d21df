/** Server settings (sign-up, email verification, upload limit, retention) and invite links. */
import type { Invite, ServerSettings, SignUpMode } from '@parley/protocol';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/Button.js';
import { FormMessage, TextField } from '../../components/fields.js';
import { formatDateTime } from '../../i18n/format.js';
import { adminActions, inviteLink } from '../../state/admin.js';
import { CustomEmojiManager } from '../custom-emoji/CustomEmojiManager.js';
import { formatBytes } from './format-bytes.js';
import { useAction, useLoad } from './use-load.js';

const MB = 1024 * 1024;
const MODES: SignUpMode[] = ['open', 'invite', 'closed'];
const MODE_LABELS = {
  open: 'admin.settings.signUpOpen',
  invite: 'admin.settings.signUpInvite',
  closed: 'admin.settings.signUpClosed',
} as const;

function SettingsForm({ settings, onSaved }: { settings: ServerSettings; onSaved(next: ServerSettings): void }) {
  const { t } = useTranslation();
  const action = useAction();
  const [saved, setSaved] = useState(false);
  const [signUp, setSignUp] = useState(settings.signUp);
  const [verify, setVerify] = useState(settings.requireEmailVerification);
  const [upload, setUpload] = useState(settings.uploadMaxBytes === null ? '' : String(Math.round(settings.uploadMaxBytes / MB)));
  const [retention, setRetention] = useState(settings.retentionDays === null ? '' : String(settings.retentionDays));
  const [previews, setPreviews] = useState(settings.linkPreviews);
  const [emojiUploads, setEmojiUploads] = useState(settings.customEmojiUploads);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    let next: ServerSettings | null = null;
    const ok = await action.run('save', async () => {
      next = await adminActions.updateSettings({
        signUp,
        ...(!settings.requireEmailVerificationByConfig && { requireEmailVerification: verify }),
        uploadMaxBytes: upload.trim() === '' ? null : Math.round(Number(upload) * MB),
        retentionDays: retention.trim() === '' ? null : Number(retention),
        linkPreviews: previews,
        customEmojiUploads: emojiUploads,
      });
    });
    if (ok && next) {
      setSaved(true);
      onSaved(next);
    }
  };
  return (
    <form className="admin-settings" onSubmit={submit}>
      <fieldset className="admin-fieldset">
        <legend>{t('admin.settings.signUp')}</legend>
        {MODES.map((mode) => (
          <label key={mode} className="admin-choice">
            <input type="radio" name="signUp" value={mode} checked={signUp === mode} onChange={() => setSignUp(mode)} />
            {t(MODE_LABELS[mode])}
          </label>
        ))}
      </fieldset>
      <label className="admin-choice">
        <input
          type="checkbox"
          checked={verify || settings.requireEmailVerificationByConfig}
          disabled={settings.requireEmailVerificationByConfig}
          onChange={(e) => setVerify(e.target.checked)}
        />
        {t('admin.settings.requireVerification')}
      </label>
      {settings.requireEmailVerificationByConfig && <p className="admin-sub">{t('admin.settings.requiredByConfig')}</p>}
      <TextField
        label={t('admin.settings.uploadLimit')}
        hint={t('admin.settings.uploadLimitHint', { limit: formatBytes(settings.uploadMaxBytesByConfig) })}
        type="number"
        min={1}
        max={Math.floor(settings.uploadMaxBytesByConfig / MB)}
        value={upload}
        onChange={(e) => setUpload(e.target.value)}
      />
      <TextField
        label={t('admin.settings.retention')}
        hint={t('admin.settings.retentionHint')}
        type="number"
        min={1}
        max={36500}
        value={retention}
        onChange={(e) => setRetention(e.target.value)}
      />
      <label className="admin-choice">
        <input type="checkbox" checked={previews} onChange={(e) => setPreviews(e.target.checked)} />
        {t('previewsEmoji.admin.linkPreviews')}
      </label>
      <p className="admin-sub">{t('previewsEmoji.admin.linkPreviewsHint')}</p>
      <fieldset className="admin-fieldset">
        <legend>{t('previewsEmoji.admin.uploads')}</legend>
        {(['admins', 'everyone'] as const).map((who) => (
          <label key={who} className="admin-choice">
            <input
              type="radio"
              name="customEmojiUploads"
              value={who}
              checked={emojiUploads === who}
              onChange={() => setEmojiUploads(who)}
            />
            {t(who === 'admins' ? 'previewsEmoji.admin.uploadsAdmins' : 'previewsEmoji.admin.uploadsEveryone')}
          </label>
        ))}
      </fieldset>
      <FormMessage tone={action.error ? 'error' : 'success'}>{action.error ?? (saved ? t('admin.saved') : undefined)}</FormMessage>
      <div>
        <Button type="submit" busy={action.busy === 'save'}>
          {t('admin.save')}
        </Button>
      </div>
    </form>
  );
}

function InviteRow({ invite, onRevoke, busy }: { invite: Invite; onRevoke(): void; busy: boolean }) {
  const { t, i18n } = useTranslation();
  const uses =
    invite.maxUses === null
      ? t('admin.settings.inviteUsesUnlimited', { uses: invite.uses })
      : t('admin.settings.inviteUses', { uses: invite.uses, max: invite.maxUses });
  return (
    <li className="admin-invite">
      <span>
        {formatDateTime(invite.createdAt, i18n.language)} · {uses}
        {invite.expiresAt && ` · ${t('admin.settings.inviteExpires', { when: formatDateTime(invite.expiresAt, i18n.language) })}`}
        {invite.revoked && ` · ${t('admin.settings.inviteRevoked')}`}
      </span>
      {!invite.revoked && (
        <Button variant="secondary" busy={busy} onClick={onRevoke}>
          {t('admin.settings.revoke')}
        </Button>
      )}
    </li>
  );
}

function Invites() {
  const { t } = useTranslation();
  const action = useAction();
  const [created, setCreated] = useState<string | null>(null);
  const [load, reload] = useLoad(() => adminActions.invites());
  const create = async () => {
    let code: string | null = null;
    if (await action.run('create', async () => (code = (await adminActions.createInvite({})).code))) {
      setCreated(code ? inviteLink(code) : null);
      await reload();
    }
  };
  return (
    <section className="admin-subsection" aria-labelledby="admin-invites">
      <h2 id="admin-invites">{t('admin.settings.invites')}</h2>
      <Button variant="secondary" busy={action.busy === 'create'} onClick={() => void create()}>
        {t('admin.settings.createInvite')}
      </Button>
      {created && (
        <p className="admin-invite-created">
          {t('admin.settings.inviteCreated')} <code>{created}</code>
        </p>
      )}
      {action.error && <FormMessage tone="error">{action.error}</FormMessage>}
      {load.status === 'loaded' && load.value.items.length === 0 && <p className="admin-empty">{t('admin.settings.invitesEmpty')}</p>}
      {load.status === 'loaded' && (
        <ul className="admin-invites">
          {load.value.items.map((invite) => (
            <InviteRow
              key={invite.id}
              invite={invite}
              busy={action.busy === invite.id}
              onRevoke={async () => {
                if (await action.run(invite.id, () => adminActions.revokeInvite(invite.id))) await reload();
              }}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

export function SettingsTab() {
  const { t } = useTranslation();
  const [load] = useLoad(() => adminActions.settings());
  const [settings, setSettings] = useState<ServerSettings | null>(null);
  useEffect(() => {
    if (load.status === 'loaded') setSettings(load.value);
  }, [load]);
  return (
    <section className="admin-section" aria-label={t('admin.tabs.settings')}>
      {load.status === 'failed' && <FormMessage tone="error">{t('admin.loadFailed', { reason: load.message })}</FormMessage>}
      {settings && <SettingsForm settings={settings} onSaved={setSettings} />}
      {settings?.signUp === 'invite' && <Invites />}
      <CustomEmojiManager />
    </section>
  );
}
