export * from './errors.js';
export * from './message.js';
export * from './prompt.js';
export * from './runtime.js';
export * from './sanitize.js';
export * from './send-error.js';
export * from './ticket.js';
export * from './time.js';
