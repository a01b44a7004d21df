/**
 * Settings → Bots (issue 15, J8): your bots, each with the chats it may read (and of those
 * post to); create one (its token shown once), add it to a chat you may add members to,
 * take it out of one, replace its token (shown once) or delete it. docs/bots.md says how a
 * program uses the token; examples/echo-bot.mjs is one.
 */
import type { Bot, Chat } from '@parley/protocol';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { explainError } from '../../api/errors.js';
import { Button } from '../../components/Button.js';
import { Dialog } from '../../components/Dialog.js';
import { FormMessage, TextField } from '../../components/fields.js';
import { useChatList } from '../../state/chats.js';
import { botActions, forgetBot, loadBots, rememberBot, resetIntegrations, useBots } from '../../state/integrations.js';
import { canAddMembers } from '../conversation/permissions.js';
import { Section } from '../settings/Section.js';
import { ShownOnce } from './ShownOnce.js';
import './integrations.css';

/** Runs one action at a time, keeping its error to show. */
function useRun() {
  const { t } = useTranslation();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (name: string, work: () => Promise<unknown>): Promise<boolean> => {
    setBusy(name);
    setError(null);
    try {
      await work();
      return true;
    } catch (failure) {
      setError(explainError(failure, t).message);
      return false;
    } finally {
      setBusy(null);
    }
  };
  return { busy, error, run };
}

function AddToChat({ bot, chats }: { bot: Bot; chats: readonly Chat[] }) {
  const { t } = useTranslation();
  const selectId = useId();
  const { busy, error, run } = useRun();
  const choices = chats.filter((c) => canAddMembers(c) && !bot.scopes.some((s) => s.chatId === c.id));
  const [chatId, setChatId] = useState('');
  const [post, setPost] = useState(true);
  if (choices.length === 0) return null;
  const add = (event: FormEvent) => {
    event.preventDefault();
    const target = chatId || choices[0]?.id;
    if (target) void run('add', async () => rememberBot(await botActions.setScope(bot.user.id, target, post)));
  };
  return (
    <form className="integration-actions" onSubmit={add}>
      <label className="visually-hidden" htmlFor={selectId}>
        {t('integrations.pickChat', { name: bot.user.displayName })}
      </label>
      <select id={selectId} className="input" value={chatId || choices[0]?.id} onChange={(e) => setChatId(e.target.value)}>
        {choices.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
      <label className="integration-choice">
        <input type="checkbox" checked={post} onChange={(e) => setPost(e.target.checked)} />
        {t('integrations.mayPost')}
      </label>
      <Button type="submit" variant="secondary" busy={busy === 'add'}>
        {t('integrations.addToChat')}
      </Button>
      <FormMessage tone="error">{error}</FormMessage>
    </form>
  );
}

function BotItem({ bot, chats }: { bot: Bot; chats: readonly Chat[] }) {
  const { t } = useTranslation();
  const { busy, error, run } = useRun();
  const [token, setToken] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<'token' | 'delete' | null>(null);
  const name = bot.user.displayName;
  return (
    <li className="integration-item" data-testid="bot-item">
      <p className="integration-title">
        <bdi>{name}</bdi> <span className="integration-meta">@{bot.user.username}</span>
      </p>
      {bot.scopes.length === 0 ? (
        <p className="integration-meta">{t('integrations.scopesEmpty')}</p>
      ) : (
        <ul className="integration-scopes" aria-label={t('integrations.scopes', { name })}>
          {bot.scopes.map((scope) => (
            <li key={scope.chatId} className="integration-scope">
              <bdi>{scope.chatName}</bdi>
              <span className="integration-meta">{scope.post ? t('integrations.canPost') : t('integrations.readOnly')}</span>
              <button
                type="button"
                className="link-button"
                onClick={() => void run(scope.chatId, async () => rememberBot(await botActions.removeScope(bot.user.id, scope.chatId)))}
              >
                {t('integrations.removeScope', { chat: scope.chatName })}
              </button>
            </li>
          ))}
        </ul>
      )}
      <AddToChat bot={bot} chats={chats} />
      {token && <ShownOnce label={t('integrations.tokenOnce')} value={token} onDone={() => setToken(null)} />}
      <div className="integration-actions">
        <Button variant="secondary" onClick={() => setConfirm('token')}>
          {t('integrations.newToken')}
        </Button>
        <Button variant="danger" onClick={() => setConfirm('delete')}>
          {t('integrations.deleteBot')}
        </Button>
      </div>
      <FormMessage tone="error">{error}</FormMessage>
      {confirm && (
        <Dialog
          title={confirm === 'token' ? t('integrations.newTokenTitle', { name }) : t('integrations.deleteBotTitle', { name })}
          onClose={() => setConfirm(null)}
          footer={
            <>
              <Button variant="secondary" onClick={() => setConfirm(null)}>
                {t('common.cancel')}
              </Button>
              <Button
                variant="danger"
                busy={busy === confirm}
                onClick={() =>
                  void run(confirm, async () => {
                    if (confirm === 'token') {
                      const replaced = await botActions.replaceToken(bot.user.id);
                      rememberBot(replaced.bot);
                      setToken(replaced.token);
                    } else {
                      await botActions.remove(bot.user.id);
                      forgetBot(bot.user.id);
                    }
                  }).then(() => setConfirm(null))
                }
              >
                {confirm === 'token' ? t('integrations.newTokenConfirm') : t('integrations.deleteConfirm')}
              </Button>
            </>
          }
        >
          <p>{confirm === 'token' ? t('integrations.newTokenBody') : t('integrations.deleteBotBody')}</p>
        </Dialog>
      )}
    </li>
  );
}

export function BotsSection() {
  const { t } = useTranslation();
  const bots = useBots();
  const { chats } = useChatList();
  const { busy, error, run } = useRun();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  useEffect(() => {
    // Fresh on every visit: another device may have changed them, or another person used this tab.
    resetIntegrations();
    loadBots().catch(() => undefined);
  }, []);
  const create = (event: FormEvent) => {
    event.preventDefault();
    void run('create', async () => {
      const result = await botActions.create({ username: username.trim(), displayName: displayName.trim() });
      rememberBot(result.bot);
      setCreated(result.token);
      setUsername('');
      setDisplayName('');
    });
  };
  return (
    <Section title={t('integrations.botsTitle')} description={t('integrations.botsDescription')}>
      {bots.status === 'failed' && <FormMessage tone="error">{t('errors.network')}</FormMessage>}
      {bots.status === 'loaded' && bots.items.length === 0 && <p className="integration-meta">{t('integrations.botsEmpty')}</p>}
      {bots.items.length > 0 && (
        <ul className="integration-list">
          {bots.items.map((bot) => (
            <BotItem key={bot.user.id} bot={bot} chats={chats} />
          ))}
        </ul>
      )}
      {created && <ShownOnce label={t('integrations.tokenOnce')} value={created} onDone={() => setCreated(null)} />}
      <form className="integration-form" onSubmit={create}>
        <TextField label={t('integrations.botUsername')} value={username} onChange={(e) => setUsername(e.target.value)} required />
        <TextField label={t('integrations.botName')} value={displayName} onChange={(e) => setDisplayName(e.target.value)} required />
        <FormMessage tone="error">{error}</FormMessage>
        <div>
          <Button type="submit" busy={busy === 'create'}>
            {t('integrations.createBot')}
          </Button>
        </div>
      </form>
    </Section>
  );
}
