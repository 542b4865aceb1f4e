import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Action } from './actions.js';
import { reducer } from './reducer.js';
import { type AppState, emptyState } from './state.js';

export interface AppStore extends AppState {
  dispatch: (action: Action) => void;
}

export type AppStoreApi = StoreApi<AppStore>;

/** One store per control room (and per test): state plus the one way to change it. */
export function createAppStore(initial: AppState = emptyState()): AppStoreApi {
  return createStore<AppStore>()((set, get) => ({
    ...initial,
    dispatch: (action) => {
      const { dispatch: _dispatch, ...current } = get();
      const next = reducer(current, action);
      if (next !== current) set(next);
    },
  }));
}
