export * from './auth.js';
export * from './chats.js';
export * from './common.js';
export * from './errors.js';
export * from './messages.js';
export * from './realtime.js';
export * from './text.js';
export * from './users.js';
