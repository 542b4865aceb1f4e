import { createContext, type ReactNode, useCallback, useContext, useState } from 'react';
import { useStore } from 'zustand';
import type { AppStore, AppStoreApi } from '../store/index.js';
import type { Theme } from './theme/theme.js';

const StoreContext = createContext<AppStoreApi | null>(null);
const ThemeContext = createContext<Theme | null>(null);
const SetThemeContext = createContext<(theme: Theme) => void>(() => {});

/** Each control room (and each test) renders with its own store and theme. */
export function Providers({
  store,
  theme,
  onTheme,
  children,
}: {
  store: AppStoreApi;
  theme: Theme;
  /** Hears a theme chosen with `:theme`, so a screen drawn again (after an attach) keeps it. */
  onTheme?: (theme: Theme) => void;
  children: ReactNode;
}) {
  // The theme can change while the control room is open (`:theme NAME`).
  const [current, setTheme] = useState(theme);
  const setCurrent = useCallback(
    (next: Theme) => {
      setTheme(next);
      onTheme?.(next);
    },
    [onTheme],
  );
  return (
    <StoreContext.Provider value={store}>
      <SetThemeContext.Provider value={setCurrent}>
        <ThemeContext.Provider value={current}>{children}</ThemeContext.Provider>
      </SetThemeContext.Provider>
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

export function useSetTheme(): (theme: Theme) => void {
  return useContext(SetThemeContext);
}
