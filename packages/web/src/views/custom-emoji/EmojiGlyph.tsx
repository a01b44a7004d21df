/**
 * Custom emoji (E19) where text and reactions show emoji: `:name:` of one of the server's
 * emoji becomes its picture (served by us, alt text the code itself, so copying and screen
 * readers keep `:name:`); anything else stays the text it is.
 */
import { emojiImagePath } from '@parley/sdk';
import { Fragment, type ReactNode } from 'react';
import { findCustomEmoji, useCustomEmoji, useCustomEmojiState } from '../../state/custom-emoji.js';
import './custom-emoji.css';

const CODE = /:[a-z0-9_-]{2,30}:/g;

export function CustomEmojiImage({ id, code, large }: { id: string; code: string; large?: boolean }) {
  return (
    <img
      className="custom-emoji"
      data-size={large ? 'large' : undefined}
      src={emojiImagePath(id)}
      alt={code}
      title={code}
      draggable={false}
      loading="lazy"
    />
  );
}

/** One emoji as a reaction or picker cell shows it. */
export function EmojiGlyph({ emoji, large }: { emoji: string; large?: boolean }) {
  const custom = useCustomEmoji(emoji);
  return custom ? <CustomEmojiImage id={custom.id} code={emoji} large={large ?? false} /> : emoji;
}

/** A run of message text in which `:name:` codes of known emoji show as pictures. */
export function EmojiText({ text }: { text: string }) {
  const state = useCustomEmojiState();
  if (state.items.length === 0) return <>{text}</>;
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(CODE)) {
    const custom = findCustomEmoji(state, match[0]);
    if (!custom) continue;
    parts.push(text.slice(last, match.index), <CustomEmojiImage key={match.index} id={custom.id} code={match[0]} />);
    last = match.index + match[0].length;
  }
  if (parts.length === 0) return <>{text}</>;
  parts.push(text.slice(last));
  return (
    <>
      {parts.map((part, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one text in order; they never move.
        <Fragment key={i}>{part}</Fragment>
      ))}
    </>
  );
}
