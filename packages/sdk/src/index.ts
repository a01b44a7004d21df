export * from './client.js';
export * from './http.js';
export { emojiImagePath, previewImagePath } from './previews-emoji.js';
export * from './realtime.js';
