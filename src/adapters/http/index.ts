export {
  EventStreamParser,
  EventStreamTooLarge,
  type OutputStreamEvent,
  readOutputEvent,
  type SseEvent,
} from './event-stream.js';
export {
  HttpDriverError,
  HttpRuntimeDriver,
  type HttpRuntimeDriverOptions,
} from './http-driver.js';
export { endReason, HttpLiveSource, type HttpLiveSourceOptions } from './live-source.js';
