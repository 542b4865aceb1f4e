import { createContext, type ReactNode, useContext } from 'react';
import type { LiveSource } from '../domain/index.js';
import type { PickupOutcome } from '../services/dispatch/dispatcher.js';
import type { PickupTarget } from '../services/dispatch/target.js';
import type { PickupLimits } from './pickup-choices.js';
import type { Theme } from './theme/theme.js';
import type { RuntimeRef, ViewState } from './view-state.js';

/** What the screen may ask of the services behind it; tests give fakes. */
export interface TuiServices {
  /** Picks a ticket up through the dispatcher; rejects with an AppFailure when it may not. */
  pickup(key: string, target: PickupTarget): Promise<PickupOutcome>;
  /** Profiles a new runtime can be started with. */
  profiles: readonly string[];
  /** What the pickup chooser must not offer now (shell profiles, the control room's own pane). */
  pickupLimits?(): PickupLimits;
  /** The themes `:theme` offers, and how one is loaded (a bad one falls back, with a warning). */
  themes?: {
    names: readonly string[];
    load(name: string): Promise<{ theme: Theme; warning: string | null }>;
  };
  /** A host's live consoles (the watch view and the split preview); null for an unknown host. */
  live?(host: string): LiveSource | null;
  /** Types one line into a runtime through its driver's literal send path, and submits it. */
  sendLine?(runtime: RuntimeRef, text: string): Promise<void>;
  /**
   * Leaves the screen for the runtime's own terminal (Ink unmounted) and comes back on `view`
   * when the operator detaches; `done` hears how it ended, for a notice.
   */
  attach?(runtime: RuntimeRef, view: ViewState): void;
  recordings?: RecordingControl;
  /**
   * Submits or clears text left in a runtime's input line, settling the unknown message it was;
   * resolves with what to tell the operator.
   */
  settleInput?(runtime: RuntimeRef, action: 'submit' | 'clear'): Promise<string>;
  /** `--readonly`: commands that send, attach or close are disabled, and say why. */
  readonly?: boolean;
  /** What the screen should say once it is up (how the last attach ended, for one). */
  greeting?: string | null;
}

/** Recording a runtime's output to an asciicast file, as the screen sees it. */
export interface RecordingControl {
  /** Starts or stops; resolves with what to tell the operator. */
  toggle(runtime: RuntimeRef, size: { columns: number; rows: number }): Promise<string>;
  /** `host:id` of every runtime being recorded. */
  recorded(): ReadonlySet<string>;
  /** Called when a recording starts, stops or ends by itself (with a reason then). */
  subscribe(listener: (ended?: string) => void): () => void;
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
