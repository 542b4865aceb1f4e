import { createContext, type ReactNode, useContext } from 'react';
import { useStore } from 'zustand';
import type { AppStore, AppStoreApi } from '../store/index.js';
import type { Theme } from './theme/theme.js';

const StoreContext = createContext<AppStoreApi | null>(null);
const ThemeContext = createContext<Theme | null>(null);

/** Each control room (and each test) renders with its own store and theme. */
export function Providers({
  store,
  theme,
  children,
}: {
  store: AppStoreApi;
  theme: Theme;
  children: ReactNode;
}) {
  return (
    <StoreContext.Provider value={store}>
      <ThemeContext.Provider value={theme}>{children}</ThemeContext.Provider>
    </StoreContext.Provider>
  );
}

export function useAppStore<T>(selector: (state: AppStore) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useAppStore outside <Providers>');
  return useStore(store, selector);
}

export function useTheme(): Theme {
  const theme = useContext(ThemeContext);
  if (!theme) throw new Error('useTheme outside <Providers>');
  return theme;
}
