import { describe, expect, it } from 'vitest';
import { movePinned } from './pin-drag.js';

describe('dragging a pinned chat', () => {
  it('puts the dragged chat in the target’s place, up or down, keeping the others in order', () => {
    expect(movePinned(['a', 'b', 'c', 'd'], 'a', 'c')).toEqual(['b', 'c', 'a', 'd']);
    expect(movePinned(['a', 'b', 'c', 'd'], 'd', 'b')).toEqual(['a', 'd', 'b', 'c']);
    expect(movePinned(['a', 'b'], 'b', 'a')).toEqual(['b', 'a']);
  });

  it('changes nothing when dropped on itself or when either chat is not pinned', () => {
    expect(movePinned(['a', 'b'], 'a', 'a')).toEqual(['a', 'b']);
    expect(movePinned(['a', 'b'], 'x', 'a')).toEqual(['a', 'b']);
    expect(movePinned(['a', 'b'], 'a', 'x')).toEqual(['a', 'b']);
  });
});
