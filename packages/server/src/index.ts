export { type Config, ConfigError, loadConfig } from './config.js';
export { createParleyServer, type ParleyServer } from './server.js';
