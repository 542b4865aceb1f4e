export type { Action, ActionType } from './actions.js';
export { type AppStore, type AppStoreApi, createAppStore } from './create-store.js';
export { reducer } from './reducer.js';
export * from './selectors.js';
export * from './state.js';
