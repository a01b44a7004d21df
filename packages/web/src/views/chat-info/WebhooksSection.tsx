/**
 * Chat info → Webhooks (issue 15, J8), for those who may add members: the chat's incoming
 * webhooks (a secret URL that posts as one of your bots) and outgoing ones (new messages,
 * or those starting with a trigger word, POSTed signed to a URL). The secret is shown once,
 * at creation, with a copy button; revoking is asked about first. docs/bots.md has the
 * payloads and the signature.
 */
import type { Chat, Webhook } from '@parley/protocol';
import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { explainError } from '../../api/errors.js';
import { Button } from '../../components/Button.js';
import { Dialog } from '../../components/Dialog.js';
import { FormMessage, TextField } from '../../components/fields.js';
import { incomingHookUrl, loadBots, useBots, webhookActions } from '../../state/integrations.js';
import { ShownOnce } from '../admin/ShownOnce.js';
import { canAddMembers } from '../conversation/permissions.js';
import '../admin/integrations.css';

type Direction = Webhook['direction'];

function WebhookItem({ hook, onRevoke }: { hook: Webhook; onRevoke(): Promise<void> }) {
  const { t } = useTranslation();
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const what =
    hook.direction === 'incoming'
      ? t('integrations.incoming')
      : `${t('integrations.outgoing')} → ${hook.url ?? ''} · ${hook.triggerWord ? t('integrations.trigger', { word: hook.triggerWord }) : t('integrations.allMessages')}`;
  return (
    <li className="integration-item" data-testid="webhook-item" data-revoked={hook.revoked ? 'true' : undefined}>
      <p className="integration-title">
        <bdi>{hook.name}</bdi>
        {hook.revoked && <span className="integration-meta"> · {t('integrations.revoked')}</span>}
      </p>
      <p className="integration-meta">{what}</p>
      {!hook.revoked && (
        <div>
          <Button variant="secondary" onClick={() => setConfirm(true)}>
            {t('integrations.revoke')}
          </Button>
        </div>
      )}
      {confirm && (
        <Dialog
          title={t('integrations.revokeTitle', { name: hook.name })}
          onClose={() => setConfirm(false)}
          footer={
            <>
              <Button variant="secondary" onClick={() => setConfirm(false)}>
                {t('common.cancel')}
              </Button>
              <Button
                variant="danger"
                busy={busy}
                onClick={() => {
                  setBusy(true);
                  onRevoke().then(
                    () => setConfirm(false),
                    (failure: unknown) => {
                      setError(explainError(failure, t).message);
                      setBusy(false);
                    },
                  );
                }}
              >
                {t('integrations.revoke')}
              </Button>
            </>
          }
        >
          <p>{t('integrations.revokeBody')}</p>
          <FormMessage tone="error">{error}</FormMessage>
        </Dialog>
      )}
    </li>
  );
}

function CreateWebhook({ chat, onCreated }: { chat: Chat; onCreated(hook: Webhook): void }) {
  const { t } = useTranslation();
  const bots = useBots();
  const botId = useId();
  const [direction, setDirection] = useState<Direction>('incoming');
  const [name, setName] = useState('');
  const [bot, setBot] = useState('');
  const [url, setUrl] = useState('');
  const [triggerWord, setTriggerWord] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    loadBots().catch(() => undefined);
  }, []);
  if (bots.status === 'loaded' && bots.items.length === 0) return <p className="integration-meta">{t('integrations.needBot')}</p>;
  const create = async (event: FormEvent) => {
    event.preventDefault();
    const chosen = bot || bots.items[0]?.user.id;
    if (!chosen) return;
    setBusy(true);
    setError(null);
    try {
      const hook = await webhookActions.create(chat.id, {
        direction,
        name: name.trim(),
        botId: chosen,
        ...(direction === 'outgoing' && { url: url.trim() }),
        ...(direction === 'outgoing' && triggerWord.trim() && { triggerWord: triggerWord.trim() }),
      });
      setName('');
      setUrl('');
      setTriggerWord('');
      onCreated(hook);
    } catch (failure) {
      setError(explainError(failure, t).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="integration-form" onSubmit={(event) => void create(event)}>
      <fieldset className="integration-radios">
        <legend className="visually-hidden">{t('integrations.direction')}</legend>
        {(['incoming', 'outgoing'] as const).map((d) => (
          <label key={d} className="integration-choice">
            <input type="radio" name="webhook-direction" checked={direction === d} onChange={() => setDirection(d)} />
            {t(`integrations.${d}`)}
          </label>
        ))}
      </fieldset>
      <TextField label={t('integrations.webhookName')} value={name} onChange={(e) => setName(e.target.value)} required />
      <div className="field">
        <label className="field-label" htmlFor={botId}>
          {t('integrations.webhookBot')}
        </label>
        <select id={botId} className="input" value={bot || bots.items[0]?.user.id || ''} onChange={(e) => setBot(e.target.value)}>
          {bots.items.map((b) => (
            <option key={b.user.id} value={b.user.id}>
              {b.user.displayName} (@{b.user.username})
            </option>
          ))}
        </select>
      </div>
      {direction === 'outgoing' && (
        <>
          <TextField label={t('integrations.url')} type="url" value={url} onChange={(e) => setUrl(e.target.value)} required />
          <TextField
            label={t('integrations.triggerWord')}
            hint={t('integrations.triggerHint')}
            value={triggerWord}
            onChange={(e) => setTriggerWord(e.target.value)}
          />
        </>
      )}
      <FormMessage tone="error">{error}</FormMessage>
      <div>
        <Button type="submit" busy={busy}>
          {t('integrations.createWebhook')}
        </Button>
      </div>
    </form>
  );
}

export function WebhooksSection({ chat }: { chat: Chat }) {
  const { t } = useTranslation();
  const headingId = useId();
  const [hooks, setHooks] = useState<Webhook[] | null>(null);
  const [created, setCreated] = useState<Webhook | null>(null);
  const [adding, setAdding] = useState(false);
  const manages = canAddMembers(chat);
  const reload = useCallback(() => webhookActions.list(chat.id).then((list) => setHooks(list.items)), [chat.id]);
  useEffect(() => {
    if (manages) reload().catch(() => setHooks([]));
  }, [manages, reload]);
  if (!manages) return null;
  return (
    <section className="info-section" aria-labelledby={headingId}>
      <h3 className="info-section-title" id={headingId}>
        {t('integrations.webhooksTitle')}
      </h3>
      <p className="integration-meta">{t('integrations.webhooksDescription')}</p>
      {hooks && hooks.length === 0 && <p className="integration-meta">{t('integrations.webhooksEmpty')}</p>}
      {hooks && hooks.length > 0 && (
        <ul className="integration-list">
          {hooks.map((hook) => (
            <WebhookItem
              key={hook.id}
              hook={hook}
              onRevoke={async () => {
                await webhookActions.revoke(chat.id, hook.id);
                await reload();
              }}
            />
          ))}
        </ul>
      )}
      {created?.secret && (
        <ShownOnce
          label={created.direction === 'incoming' ? t('integrations.incomingOnce') : t('integrations.outgoingOnce')}
          value={created.direction === 'incoming' ? incomingHookUrl(created.secret) : created.secret}
          onDone={() => setCreated(null)}
        />
      )}
      {adding ? (
        <CreateWebhook
          chat={chat}
          onCreated={(hook) => {
            setCreated(hook);
            setAdding(false);
            void reload().catch(() => undefined);
          }}
        />
      ) : (
        <div>
          <Button variant="secondary" onClick={() => setAdding(true)}>
            {t('integrations.addWebhook')}
          </Button>
        </div>
      )}
    </section>
  );
}
