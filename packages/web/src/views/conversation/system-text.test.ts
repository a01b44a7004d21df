import type { SystemInfo } from '@parley/protocol';
import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { en } from '../../i18n/locales/en.js';
import { ru } from '../../i18n/locales/ru.js';
import { describeSystem } from './system-text.js';

/** A language's strings with i18next's {{name}} interpolation, enough for these lines. */
const translator = (messages: object) =>
  ((key: string, values: Record<string, string> = {}) => {
    const template = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], messages) as string;
    return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => values[name] ?? '');
  }) as unknown as TFunction;
const t = translator(en);

const names: Record<string, string> = { ann: 'Ann', evil: 'Bob\u202Egnp.exe', rtl: 'מרים' };
const nameOf = (id: string | null) => (id === 'me' ? null : id ? (names[id] ?? 'Someone') : 'Someone');
const info = (change: Partial<SystemInfo>): SystemInfo => ({ action: 'added', actorId: 'ann', targetIds: [], ...change });

describe('system lines', () => {
  it('marks every name as its own bidi isolate, without the controls it held, so it cannot reorder the line', () => {
    const line = describeSystem(info({ action: 'added', actorId: 'evil', targetIds: ['ann', 'rtl'] }), nameOf, t, 'en');
    expect(line).toBe('\u2068Bobgnp.exe\u2069 added \u2068Ann\u2069 and \u2068מרים\u2069');
    const renamed = describeSystem(info({ action: 'renamed', name: '\u202Etxt.exe' }), nameOf, t, 'en');
    expect(renamed).toBe('\u2068Ann\u2069 renamed the chat to “\u2068txt.exe\u2069”');
  });

  it('closes every isolate it opens, whatever the names hold', () => {
    const line = describeSystem(info({ action: 'removed', actorId: 'evil', targetIds: ['evil', 'ann'] }), nameOf, t, 'en');
    expect(line.split('\u2068').length).toBe(4);
    expect(line.split('\u2069').length).toBe(4);
  });

  it('says what you did in a sentence of its own, and names you in lower case among others', () => {
    expect(describeSystem(info({ action: 'created', actorId: 'me' }), nameOf, t, 'en')).toBe('You created the chat');
    expect(describeSystem(info({ action: 'added', actorId: 'me', targetIds: ['ann'] }), nameOf, t, 'en')).toBe('You added \u2068Ann\u2069');
    expect(describeSystem(info({ action: 'added', actorId: 'ann', targetIds: ['me', 'rtl'] }), nameOf, t, 'en')).toBe(
      '\u2068Ann\u2069 added \u2068you\u2069 and \u2068מרים\u2069',
    );
    expect(describeSystem(info({ action: 'ownership_transferred', actorId: 'ann', targetIds: ['me'] }), nameOf, t, 'en')).toBe(
      'You are now the owner',
    );
  });

  it('words a role given to you alone as its own sentence, which Russian needs', () => {
    const madeYou = info({ action: 'role_changed', role: 'admin', actorId: 'ann', targetIds: ['me'] });
    expect(describeSystem(madeYou, nameOf, t, 'en')).toBe('\u2068Ann\u2069 made you an admin');
    // Not "назначил(а) администратором: вас".
    expect(describeSystem(madeYou, nameOf, translator(ru), 'ru')).toBe('\u2068Ann\u2069 назначил(а) вас администратором');
    const madeMember = info({ action: 'role_changed', role: 'member', actorId: 'ann', targetIds: ['me'] });
    expect(describeSystem(madeMember, nameOf, translator(ru), 'ru')).toBe('\u2068Ann\u2069 сделал(а) вас обычным участником');
    const madeOthers = info({ action: 'role_changed', role: 'admin', actorId: 'ann', targetIds: ['rtl'] });
    expect(describeSystem(madeOthers, nameOf, translator(ru), 'ru')).toBe('\u2068Ann\u2069 назначил(а) администратором: \u2068מרים\u2069');
  });

  it('lists names the way the reader’s language does', () => {
    const line = describeSystem(info({ action: 'added', actorId: 'ann', targetIds: ['evil', 'rtl', 'ann'] }), nameOf, t, 'ja');
    expect(line).toContain('\u2069、\u2068');
  });
});
