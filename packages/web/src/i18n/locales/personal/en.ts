/** English strings of people and organising additions (manual away, pinned-chat order, people in search), merged into en.ts as `personal`. */
export const personal = {
  setAway: 'Set yourself away',
  setActive: 'Set yourself active',
  awayNow: 'Away',
  moveDown: 'Move down',
  searchPeople: 'People',
  centreMentionAll: '{{name}} mentioned everyone',
  centreMentionHere: '{{name}} mentioned everyone online',
  mentionHere: 'Everyone online now',
};
