export {
  HttpDriverError,
  HttpRuntimeDriver,
  type HttpRuntimeDriverOptions,
} from './http-driver.js';
