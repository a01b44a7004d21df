export * from './client.js';
export * from './http.js';
