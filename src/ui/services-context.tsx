import { createContext, type ReactNode, useContext } from 'react';
import type { Screen } from '../domain/index.js';
import type { PickupOutcome } from '../services/dispatch/dispatcher.js';
import type { PickupTarget } from '../services/dispatch/target.js';
import type { Theme } from './theme/theme.js';

/** What the screen may ask of the services behind it; tests give fakes. */
export interface TuiServices {
  /** Picks a ticket up through the dispatcher; rejects with an AppFailure when it may not. */
  pickup(key: string, target: PickupTarget): Promise<PickupOutcome>;
  /** Profiles a new runtime can be started with. */
  profiles: readonly string[];
  /** A runtime's screen now (plain text: the capture carries no escape sequences). */
  screen?(host: string, id: string): Promise<Screen>;
  /** The themes `:theme` offers, and how one is loaded (a bad one falls back, with a warning). */
  themes?: {
    names: readonly string[];
    load(name: string): Promise<{ theme: Theme; warning: string | null }>;
  };
}

/** Without services (a screen opened on nothing), a pickup says so instead of pretending. */
export const NO_SERVICES: TuiServices = {
  pickup: () => Promise.reject(new Error('picking up is not available here')),
  profiles: [],
};

const ServicesContext = createContext<TuiServices>(NO_SERVICES);

export function ServicesProvider({
  services,
  children,
}: {
  services: TuiServices;
  children: ReactNode;
}) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): TuiServices {
  return useContext(ServicesContext);
}
