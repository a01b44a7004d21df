/** A sentence built with isolateName: each name is rendered in its own <bdi>, the markers dropped. */
import { memo } from 'react';
import { isolatedParts } from './isolate.js';

export const Isolated = memo(function Isolated({ text }: { text: string }) {
  // A part's position is its identity: the sentence's words and names never reorder.
  const parts = isolatedParts(text).map((part, index) => {
    const key = `n${index}`;
    return index % 2 === 1 ? <bdi key={key}>{part}</bdi> : part;
  });
  return <>{parts}</>;
});
