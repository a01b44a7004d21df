/**
 * Keeps the stores in step with the server. One ParleyRealtime per signed-in page: on
 * the first connect (`live`), and when our own stream must be reloaded, the chat list and
 * the open chat are loaded over REST, with events that arrive meanwhile held back and
 * applied after (every reducer ignores what it already has). After a `replayed` resume
 * the missed events simply follow, except for the chats the server says to reload (too
 * far behind, or new to us), which are fetched one by one, and the chats that are gone.
 * Each event is applied here, in one switch, to every store it touches.
 */
import {
  type ChatMember,
  CLOSE_CODES,
  chatOfStream,
  type DeliveredUpdated,
  type EventFrame,
  type Message,
  type PublicUser,
  type Role,
  type StreamKey,
} from '@parley/protocol';
import { ParleyRealtime } from '@parley/sdk';
import { type ChatCore, sortChats, totalUnread, withCore, withMessage, withMessageChange } from './chat-list.js';
import {
  applyOwnReadPosition,
  chatById,
  chatsStore,
  loadChats,
  openChatStore,
  refreshChat,
  removeChat,
  resetChats,
  updateChat,
} from './chats.js';
import { connectionStore, expectSessionEnd, isSessionEndExpected, setRealtime } from './connection.js';
import { restoreManualAway } from './manual-away.js';
import {
  applyDeliveredPosition,
  applyJoined,
  applyLeft,
  applyReadPosition,
  applyRole,
  forgetMembers,
  loadMembers,
  membersStore,
  resetMembers,
} from './members.js';
import { type ReactionChange, withReactionChange } from './message-window.js';
import {
  applyCreated,
  applyDeleted,
  applyReaction,
  applyUpdated,
  forgetHistory,
  forgetHistoryExcept,
  forgetWindows,
  loadLatest,
  resetMessages,
} from './messages.js';
import { pageIsSeen, playChime, setTitleUnread } from './notifications.js';
import { dropStoredOutbox, keepOutbox } from './outbox.js';
import { forgetPresence, rememberUser, resetPeople, setPresence } from './people.js';
import { applyPeopleEvent, loadPeopleState, resetPeopleState, unarchiveOnMessage } from './people-relations.js';
import { applyTyping, resetTyping, stopTyping } from './typing.js';

/** Receipts sent after loading the chat list, for the chats with unread messages. */
const CONFIRM_LISTED_CHATS = 50;

export interface SyncCallbacks {
  meId: string;
  /** Close code 4003: the session was ended (sign-out elsewhere, revoked, password changed). */
  onSessionEnded(): void;
  onProfileChanged(user: PublicUser): void;
  /** We left, were removed from, or lost a chat (`deleted`: by its owner): leave it if it is on screen. */
  onChatGone(chatId: string, reason: 'deleted' | 'left'): void;
  /** A message restored from the stored outbox was refused. */
  onSendFailed(error: unknown): void;
}

type ChatEvent = { chatId: string; chat: ChatCore; members: ChatMember[]; userId: string; by: string | null };

/** Direct chats whose peer's presence we load after connecting (presence is never replayed). */
const PRESENCE_CHATS = 20;
/** More chats to reload than this after a resume, and one chat list request is cheaper than a request per chat. */
const RELOAD_CHATS_ONE_BY_ONE = 20;

function maybeChime(message: Message, meId: string) {
  if (message.kind !== 'text' || message.senderId === meId) return;
  if (chatById(message.chatId)?.muted) return;
  if (openChatStore.get() === message.chatId && pageIsSeen()) return;
  playChime();
}

function chatGone(chatId: string, callbacks: SyncCallbacks, reason: 'deleted' | 'left' = 'left') {
  removeChat(chatId);
  forgetHistory(chatId);
  forgetMembers(chatId);
  callbacks.onChatGone(chatId, reason);
}

function applyEvent(frame: EventFrame, callbacks: SyncCallbacks) {
  const { meId } = callbacks;
  if (applyPeopleEvent(frame)) return;
  switch (frame.event) {
    case 'message.created': {
      const { message } = frame.data as { message: Message };
      // A reply only in a thread (E15) is not the chat's: state/threads.ts takes it.
      if (message.threadRootId && !message.alsoToChat) return;
      applyCreated(message);
      const count = () => updateChat(message.chatId, (chat) => withMessage(chat, message, meId));
      // A new chat's first message can overtake the chat itself: count it once the chat is here.
      if (chatById(message.chatId)) count();
      else void refreshChat(message.chatId).then(count);
      if (message.senderId) {
        applyReadPosition(message.chatId, message.senderId, message.seq);
        stopTyping(message.chatId, message.senderId);
      }
      maybeChime(message, meId);
      unarchiveOnMessage(message.chatId, chatById(message.chatId)?.muted ?? false);
      return;
    }
    case 'message.updated': {
      const { message } = frame.data as { message: Message };
      applyUpdated(message);
      updateChat(message.chatId, (chat) => withMessageChange(chat, message.id, () => message));
      return;
    }
    case 'message.deleted': {
      const { chatId, messageId, deletedAt } = frame.data as { chatId: string; messageId: string; deletedAt: string };
      applyDeleted(chatId, messageId, deletedAt);
      updateChat(chatId, (chat) => withMessageChange(chat, messageId, (m) => ({ ...m, text: '', deletedAt })));
      return;
    }
    case 'reaction.changed': {
      const { chatId, messageId, ...reaction } = frame.data as { chatId: string; messageId: string } & ReactionChange;
      applyReaction(chatId, messageId, reaction);
      updateChat(chatId, (chat) =>
        withMessageChange(chat, messageId, (m) => ({ ...m, reactions: withReactionChange(m.reactions, reaction) })),
      );
      return;
    }
    case 'delivered.updated': {
      const { chatId, userId, deliveredSeq } = frame.data as DeliveredUpdated;
      applyDeliveredPosition(chatId, userId, deliveredSeq);
      return;
    }
    case 'read.updated': {
      const { chatId, userId, lastReadSeq } = frame.data as { chatId: string; userId: string; lastReadSeq: number };
      applyReadPosition(chatId, userId, lastReadSeq);
      if (userId === meId) applyOwnReadPosition(chatId, lastReadSeq);
      return;
    }
    case 'chat.created':
    case 'member.joined': {
      const { chatId, chat, members } = frame.data as ChatEvent;
      // Events carry nobody's presence (privacy differs per reader): names only; member lists bring presence.
      for (const { user } of members)
        rememberUser({ id: user.id, displayName: user.displayName, username: user.username, deleted: user.deleted });
      if (frame.event === 'chat.created') membersStore.update((all) => ({ ...all, [chatId]: members }));
      else applyJoined(chatId, members);
      if (chatById(chatId)) updateChat(chatId, (current) => withCore(current, chat));
      else if (members.some((m) => m.user.id === meId)) void refreshChat(chatId);
      return;
    }
    case 'chat.updated': {
      const { chat } = frame.data as ChatEvent;
      updateChat(chat.id, (current) => withCore(current, chat));
      return;
    }
    case 'chat.deleted':
      chatGone((frame.data as ChatEvent).chatId, callbacks, 'deleted');
      return;
    case 'member.left': {
      const { chatId, chat, userId } = frame.data as ChatEvent;
      if (userId === meId) return chatGone(chatId, callbacks);
      applyLeft(chatId, userId);
      updateChat(chatId, (current) => withCore(current, chat));
      return;
    }
    case 'member.updated': {
      const { chatId, userId, role, muted } = frame.data as { chatId: string; userId: string; role?: Role; muted?: boolean };
      if (role) {
        applyRole(chatId, userId, role);
        if (userId === meId) updateChat(chatId, (chat) => ({ ...chat, role }));
      }
      if (muted !== undefined && userId === meId) updateChat(chatId, (chat) => ({ ...chat, muted }));
      return;
    }
    case 'user.updated': {
      const { user } = frame.data as { user: PublicUser };
      rememberUser(user);
      if (user.id === meId) callbacks.onProfileChanged(user);
      return;
    }
    case 'typing': {
      const { chatId, userId } = frame.data as { chatId: string; userId: string };
      if (userId !== meId) applyTyping(chatId, userId);
      return;
    }
    case 'presence': {
      const { userId, online, lastSeenAt } = frame.data as { userId: string; online: boolean; lastSeenAt: string | null };
      setPresence(userId, online, lastSeenAt);
      return;
    }
  }
}

async function refreshPresence() {
  const direct = Object.values(chatsStore.get().byId)
    .filter((chat) => chat.kind === 'direct')
    .sort((a, b) => b.lastActivityAt.localeCompare(a.lastActivityAt))
    .slice(0, PRESENCE_CHATS);
  // A few at a time: this runs after every reconnect.
  for (let i = 0; i < direct.length; i += 4) {
    await Promise.all(direct.slice(i, i + 4).map((chat) => loadMembers(chat.id)));
  }
}

/** Connects and keeps everything current until the returned function is called (sign-out). */
export function startSync(callbacks: SyncCallbacks): () => void {
  // A quiet socket is pinged after 4 s and given up 3 s later: a lost network shows within seconds.
  const realtime = new ParleyRealtime({ baseUrl: '', heartbeat: { idleMs: 4000, timeoutMs: 3000 } });
  setRealtime(realtime);
  const stopOutbox = keepOutbox(callbacks.meId, callbacks.onSendFailed);
  let held: EventFrame[] | null = null;
  let reloads = 0;

  const reload = async () => {
    reloads += 1;
    held ??= [];
    const open = openChatStore.get();
    forgetHistoryExcept(open);
    try {
      await Promise.all([loadChats().catch(() => undefined), open ? loadLatest(open) : null, open ? loadMembers(open) : null]);
    } finally {
      reloads -= 1;
      if (reloads === 0) {
        const queued = held ?? [];
        held = null;
        for (const frame of queued) applyEvent(frame, callbacks);
      }
    }
    void refreshPresence();
    confirmListed();
    loadPeopleState();
    restoreManualAway(callbacks.meId);
  };

  /**
   * Messages that arrived while this device was away came with the chat list, not as live
   * events: tell their senders they reached a device (one receipt per chat, newest chats first).
   */
  const confirmListed = () => {
    const unread = sortChats(Object.values(chatsStore.get().byId)).filter(
      (chat) => chat.kind !== 'room' && chat.unreadCount > 0 && chat.lastMessage !== null && chat.lastMessage.senderId !== callbacks.meId,
    );
    for (const chat of unread.slice(0, CONFIRM_LISTED_CHATS)) {
      realtime.call('delivered.mark', { chatId: chat.id, seq: chat.lastSeq }).catch(() => undefined);
    }
  };

  /** A `replayed` resume: the missed events follow, but some chats must be fetched again or forgotten. */
  const resumed = (reloadStreams: readonly StreamKey[], gone: readonly StreamKey[]) => {
    for (const stream of gone) {
      const chatId = chatOfStream(stream);
      if (chatId) chatGone(chatId, callbacks);
    }
    const chatIds = reloadStreams.flatMap((stream) => chatOfStream(stream) ?? []);
    const ownStream = chatIds.length < reloadStreams.length;
    // Profile changes from our other devices were among the missed: the hello reply has it as it is now.
    if (ownStream && realtime.user) callbacks.onProfileChanged(realtime.user);
    // Our own stream (mutes, chats deleted under us), many chats, or a list that never loaded: everything again.
    if (ownStream || chatIds.length > RELOAD_CHATS_ONE_BY_ONE || chatsStore.get().status !== 'ready') {
      void reload();
      return;
    }
    const open = openChatStore.get();
    // Windows of the others are stale; they load again when opened.
    forgetWindows(chatIds.filter((chatId) => chatId !== open));
    const loadedMembers = membersStore.get();
    for (const chatId of chatIds) {
      void refreshChat(chatId);
      if (chatId !== open && loadedMembers[chatId]) void loadMembers(chatId);
    }
    if (open && chatIds.includes(open)) void loadLatest(open);
    if (open) void loadMembers(open);
    void refreshPresence();
  };

  const offEvents = realtime.on('*', (_data, frame) => {
    if (held) held.push(frame);
    else applyEvent(frame, callbacks);
  });
  const offState = realtime.onState((state, detail) => {
    connectionStore.set(state);
    if (state !== 'open') forgetPresence();
    if (state === 'closed' && detail?.code === CLOSE_CODES.sessionEnded && !isSessionEndExpected()) callbacks.onSessionEnded();
    if (state !== 'open') return;
    if (detail?.replay === 'replayed') resumed(detail.reload ?? [], detail.gone ?? []);
    else void reload();
  });
  // Coalesced: a message arriving in the chat on screen is counted and read again within one
  // render, and the title should not flicker through "(1)".
  let titleTimer = 0;
  const offTitle = chatsStore.subscribe(() => {
    window.clearTimeout(titleTimer);
    titleTimer = window.setTimeout(() => setTitleUnread(totalUnread(Object.values(chatsStore.get().byId))), 60);
  });
  const reconnectNow = () => realtime.reconnectNow();
  window.addEventListener('online', reconnectNow);
  // The browser knows the network is gone before any heartbeat could tell.
  const dropConnection = () => realtime.dropConnection();
  window.addEventListener('offline', dropConnection);

  expectSessionEnd(false);
  realtime.connect().catch(() => {
    // The SDK keeps retrying with backoff; the banner shows meanwhile.
  });

  return () => {
    window.removeEventListener('online', reconnectNow);
    window.removeEventListener('offline', dropConnection);
    stopOutbox();
    // Our own sign-out: what was still waiting must not be sent by the next person here.
    if (isSessionEndExpected()) dropStoredOutbox(callbacks.meId);
    offEvents();
    offState();
    offTitle();
    window.clearTimeout(titleTimer);
    realtime.close();
    setRealtime(null);
    connectionStore.set('closed');
    setTitleUnread(0);
    resetChats();
    resetMessages();
    resetMembers();
    resetPeople();
    resetPeopleState();
    resetTyping();
  };
}
