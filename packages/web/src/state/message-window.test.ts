import type { Message } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import {
  fromPage,
  PAGE_SIZE,
  WINDOW_MAX,
  withLatestPage,
  withLiveMessage,
  withMessageDeleted,
  withMessageReplaced,
  withNewerPage,
  withOlderPage,
  withReactionChange,
} from './message-window.js';

const message = (seq: number, overrides: Partial<Message> = {}): Message => ({
  id: `m${seq}`,
  chatId: 'c1',
  seq,
  kind: 'text',
  senderId: 'ann',
  sender: null,
  clientId: null,
  text: `text ${seq}`,
  replyTo: null,
  forwardedFrom: null,
  privateTo: null,
  system: null,
  mentions: [],
  mentionsAll: false,
  reactions: [],
  createdAt: '2024-05-01T10:00:00.000Z',
  editedAt: null,
  deletedAt: null,
  ...overrides,
});

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => message(from + i));
const seqs = (items: Message[]) => [items[0]?.seq, items.at(-1)?.seq, items.length];

describe('the message window', () => {
  it('prepends older pages and, past the maximum, forgets the newest end', () => {
    let window = fromPage({ items: range(9951, 10000), hasOlder: true, hasNewer: false });
    for (let before = 9951; window.items.length < WINDOW_MAX; before -= PAGE_SIZE) {
      window = withOlderPage(window, { items: range(before - PAGE_SIZE, before - 1), hasOlder: true, hasNewer: true });
    }
    expect(window.hasNewer).toBe(false);
    const oldest = window.items[0]?.seq ?? 0;
    window = withOlderPage(window, { items: range(oldest - PAGE_SIZE, oldest - 1), hasOlder: true, hasNewer: true });
    expect(seqs(window.items)).toEqual([oldest - PAGE_SIZE, oldest - PAGE_SIZE + WINDOW_MAX - 1, WINDOW_MAX]);
    expect(window.hasNewer).toBe(true);
  });

  it('appends newer pages and forgets the oldest end past the maximum', () => {
    let window = fromPage({ items: range(1, WINDOW_MAX), hasOlder: false, hasNewer: true });
    window = withNewerPage(window, { items: range(WINDOW_MAX + 1, WINDOW_MAX + 10), hasOlder: true, hasNewer: false });
    expect(seqs(window.items)).toEqual([11, WINDOW_MAX + 10, WINDOW_MAX]);
    expect(window).toMatchObject({ hasOlder: true, hasNewer: false });
  });

  it('adds live messages only when the window reaches the present, once each', () => {
    const present = fromPage({ items: range(1, 3), hasOlder: false, hasNewer: false });
    const once = withLiveMessage(present, message(4));
    expect(withLiveMessage(once, message(4)).items.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    const past = fromPage({ items: range(1, 3), hasOlder: false, hasNewer: true });
    expect(withLiveMessage(past, message(4))).toBe(past);
  });

  it('keeps live messages that arrived while the latest page was loading', () => {
    const live = withLiveMessage(fromPage({ items: [], hasOlder: false, hasNewer: false }), message(51));
    const loaded = withLatestPage(live, { items: range(1, 50), hasOlder: false, hasNewer: false });
    expect(seqs(loaded.items)).toEqual([1, 51, 51]);
  });

  it('turns a deleted message into a tombstone and updates quotes of it', () => {
    const reply = message(2, { replyTo: { id: 'm1', seq: 1, senderId: 'ann', senderName: 'Ann', text: 'text 1', deleted: false } });
    const window = fromPage({
      items: [message(1, { reactions: [{ emoji: '👍', count: 1, userIds: ['bob'] }] }), reply],
      hasOlder: false,
      hasNewer: false,
    });
    const deleted = withMessageDeleted(window, 'm1', '2024-05-01T11:00:00.000Z');
    expect(deleted.items[0]).toMatchObject({ text: '', deletedAt: '2024-05-01T11:00:00.000Z', reactions: [] });
    expect(deleted.items[1]?.replyTo).toMatchObject({ text: '', deleted: true });
    const edited = withMessageReplaced(window, message(1, { text: 'better', editedAt: '2024-05-01T10:30:00.000Z' }));
    expect(edited.items[1]?.replyTo?.text).toBe('better');
  });

  it('applies a reaction delta once, however often it arrives, and drops an emoji nobody keeps', () => {
    const none: Message['reactions'] = [];
    const ann = withReactionChange(none, { emoji: '👍', userId: 'ann', added: true });
    expect(ann).toEqual([{ emoji: '👍', count: 1, userIds: ['ann'] }]);
    expect(withReactionChange(ann, { emoji: '👍', userId: 'ann', added: true })).toBe(ann);
    const both = withReactionChange(ann, { emoji: '👍', userId: 'bob', added: true });
    expect(both).toEqual([{ emoji: '👍', count: 2, userIds: ['ann', 'bob'] }]);
    const back = withReactionChange(both, { emoji: '👍', userId: 'ann', added: false });
    expect(back).toEqual([{ emoji: '👍', count: 1, userIds: ['bob'] }]);
    expect(withReactionChange(back, { emoji: '👍', userId: 'bob', added: false })).toEqual([]);
    expect(withReactionChange(none, { emoji: '🎉', userId: 'bob', added: false })).toBe(none);
  });
});
