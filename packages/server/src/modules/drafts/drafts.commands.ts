/** The WebSocket commands of drafts (I5), merged into the command table (realtime/commands.ts). */
import { SaveDraftParams } from '@parley/protocol';
import { Type } from '@sinclair/typebox';
import { type Command, define } from '../../realtime/commands.js';
import type { Services } from '../../services.js';

const Empty = Type.Object({}, { additionalProperties: false });

export function draftsCommands({ drafts }: Services): Record<'draft.list' | 'draft.save', Command> {
  return {
    'draft.list': define(Empty, (actor) => drafts.list(actor)),
    'draft.save': define(SaveDraftParams, (actor, p) => drafts.save(actor, p)),
  };
}
