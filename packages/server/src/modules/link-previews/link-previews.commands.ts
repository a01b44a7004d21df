/** The WebSocket command of link previews (E18), merged into the command table (realtime/commands.ts). */
import { RemovePreviewParams } from '@parley/protocol';
import { type Command, define } from '../../realtime/commands.js';
import type { Services } from '../../services.js';

export function linkPreviewsCommands({ linkPreviews }: Services): Record<'message.removePreview', Command> {
  return {
    'message.removePreview': define(RemovePreviewParams, async (actor, p) => {
      await linkPreviews.removePreview(actor, p);
      return { ok: true };
    }),
  };
}
