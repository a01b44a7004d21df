export * from './client.js';
export * from './http.js';
export * from './realtime.js';
