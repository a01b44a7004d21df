/**
 * Renders message text: the Markdown tokens of markdown.ts as React elements, so every
 * character from the server is a text node (React escapes it) and the only attributes
 * set from data are link targets that passed safeHref. The text is its own bidi
 * isolate (dir="auto" + unicode-bidi: isolate in CSS), so RTL override characters in
 * one message cannot reorder anything around it. A link whose text names another host
 * than its target shows the real host beside the text.
 */
import { memo, type ReactNode, useMemo } from 'react';
import { EmojiText } from '../views/custom-emoji/EmojiGlyph.js';
import { Mention } from './Mention.js';
import { type Block, type Inline, parseBlocks } from './markdown.js';

export const LINK_REL = 'noopener noreferrer nofollow';

function renderInline(nodes: Inline[], me: string | null, keyPrefix = ''): ReactNode[] {
  return nodes.map((node, index) => {
    const key = `${keyPrefix}${index}`;
    switch (node.type) {
      case 'text':
        // `:name:` may be one of the server's custom emoji (E19).
        return node.text.includes(':') ? <EmojiText key={key} text={node.text} /> : node.text;
      case 'strong':
        return <strong key={key}>{renderInline(node.children, me, `${key}.`)}</strong>;
      case 'em':
        return <em key={key}>{renderInline(node.children, me, `${key}.`)}</em>;
      case 'strike':
        return <s key={key}>{renderInline(node.children, me, `${key}.`)}</s>;
      case 'code':
        return (
          <code key={key} className="inline-code">
            {node.text}
          </code>
        );
      case 'link':
        return (
          <a key={key} href={node.href} target="_blank" rel={LINK_REL}>
            {renderInline(node.children, me, `${key}.`)}
            {node.realHost !== undefined && (
              // The text names another host than the target: say where the link really goes.
              <span className="link-real-host">
                {' ('}
                <bdi>{node.realHost}</bdi>
                {')'}
              </span>
            )}
          </a>
        );
      case 'mention':
        return <Mention key={key} username={node.username} text={node.text} me={me} />;
    }
    return null;
  });
}

function renderBlocks(blocks: Block[], me: string | null, trailing: ReactNode, keyPrefix = ''): ReactNode[] {
  return blocks.map((block, index) => {
    const key = `${keyPrefix}${index}`;
    const isLast = index === blocks.length - 1;
    switch (block.type) {
      case 'paragraph':
        return (
          <p key={key} className="rich-paragraph">
            {renderInline(block.children, me)}
            {isLast && trailing}
          </p>
        );
      case 'code':
        return (
          <pre key={key} className="code-block">
            <code>{block.text}</code>
          </pre>
        );
      case 'quote':
        return (
          <blockquote key={key} className="rich-quote">
            {renderBlocks(block.children, me, null, `${key}.`)}
          </blockquote>
        );
    }
    return null;
  });
}

/**
 * `trailing` goes at the end of the last paragraph (a message's invisible time-stamp
 * spacer, so the real time-stamp can sit beside the last line), or after the last block.
 */
export const RichText = memo(function RichText({ text, me, trailing }: { text: string; me: string | null; trailing?: ReactNode }) {
  const blocks = useMemo(() => parseBlocks(text), [text]);
  const lastIsParagraph = blocks.at(-1)?.type === 'paragraph';
  return (
    <div className="rich-text" dir="auto">
      {renderBlocks(blocks, me, lastIsParagraph ? trailing : null)}
      {!lastIsParagraph && trailing}
    </div>
  );
});
