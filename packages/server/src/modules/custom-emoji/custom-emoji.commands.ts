/** The WebSocket command of custom emoji (E19), merged into the command table (realtime/commands.ts). */
import { Type } from '@sinclair/typebox';
import { type Command, define } from '../../realtime/commands.js';
import type { Services } from '../../services.js';

const Empty = Type.Object({}, { additionalProperties: false });

export function customEmojiCommands({ customEmoji }: Services): Record<'emoji.list', Command> {
  return { 'emoji.list': define(Empty, (actor) => customEmoji.list(actor)) };
}
