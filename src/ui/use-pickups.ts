import { useCallback, useRef, useState } from 'react';
import { AppFailure, describeSendError, sanitizeLine } from '../domain/index.js';
import type { PickupTarget } from '../services/dispatch/target.js';
import type { PickupLimits } from './pickup-choices.js';
import { useServices } from './services-context.js';

const NO_LIMITS: PickupLimits = {};

/**
 * Pickups this screen started: which tickets are on their way (their row says "sending…"), and
 * a line for the footer when one ends. The outcome itself lands in the store through the
 * dispatcher's Actions: the row, the detail and a notification show it.
 */
export function usePickups(onNotice: (text: string) => void) {
  const services = useServices();
  const [sending, setSending] = useState<ReadonlySet<string>>(() => new Set());
  const latest = useRef(sending);
  latest.current = sending;

  const update = useCallback((key: string, on: boolean) => {
    const next = new Set(latest.current);
    if (on) next.add(key);
    else next.delete(key);
    latest.current = next;
    setSending(next);
  }, []);

  const start = useCallback(
    (key: string, target: PickupTarget, label: string) => {
      if (latest.current.has(key)) return;
      update(key, true);
      services.pickup(key, target).then(
        (outcome) => {
          update(key, false);
          if (outcome.kind === 'delivered') onNotice(`${key} delivered to ${label}`);
          else if (outcome.kind === 'adopted') {
            onNotice(`${key}: ${label} is busy; adopted, the message waits until it is idle`);
          } else if (outcome.kind === 'queued') {
            onNotice(
              `${key}: queued on ${label} after ${outcome.after}; it is delivered when ${label} is idle`,
            );
          } else onNotice(`${key} was not delivered: ${describeSendError(outcome.error)}`);
        },
        (error: unknown) => {
          update(key, false);
          const text =
            error instanceof AppFailure || error instanceof Error ? error.message : String(error);
          onNotice(`${key}: ${sanitizeLine(text)}`);
        },
      );
    },
    [services, update, onNotice],
  );

  // Read by key handlers, which may run before the render that follows a pickup's start.
  const isSending = useCallback((key: string) => latest.current.has(key), []);
  const inFlight = useCallback(() => latest.current.size, []);
  const limits = services.pickupLimits?.() ?? NO_LIMITS;
  return { sending, isSending, inFlight, start, profiles: services.profiles, limits };
}
