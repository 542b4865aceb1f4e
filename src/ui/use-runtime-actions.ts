import { useEffect, useState } from 'react';
import { describeSendError, SendFailure, sanitizeLine } from '../domain/index.js';
import { useServices } from './services-context.js';
import type { RuntimeRef, ViewState } from './view-state.js';

/** What the runtime commands do beyond the view: attach, type a line, record. */
export interface RuntimeActions {
  attach(runtime: RuntimeRef, view: ViewState): void;
  sendLine(runtime: RuntimeRef, text: string): void;
  toggleRecord(runtime: RuntimeRef, size: { columns: number; rows: number }): void;
  /** Submits or clears text left in the runtime's input line (and settles its message). */
  settleInput(runtime: RuntimeRef, action: 'submit' | 'clear'): void;
  /** `host:id` of the runtimes being recorded. */
  recorded: ReadonlySet<string>;
}

const NONE: ReadonlySet<string> = new Set();

/** Why a send or a recording failed, in one untrusted-safe line. */
function reasonOf(error: unknown): string {
  if (error instanceof SendFailure) return describeSendError(error.error);
  return sanitizeLine(error instanceof Error ? error.message : String(error));
}

export function useRuntimeActions(notify: (text: string) => void): RuntimeActions {
  const services = useServices();
  const { recordings } = services;
  const [recorded, setRecorded] = useState<ReadonlySet<string>>(
    () => recordings?.recorded() ?? NONE,
  );
  useEffect(() => {
    if (!recordings) return;
    setRecorded(new Set(recordings.recorded()));
    return recordings.subscribe((ended) => {
      setRecorded(new Set(recordings.recorded()));
      if (ended) notify(sanitizeLine(ended));
    });
  }, [recordings, notify]);
  return {
    recorded,
    attach(runtime, view) {
      if (!services.attach) notify('attaching is not available here');
      else services.attach(runtime, view);
    },
    sendLine(runtime, text) {
      if (!services.sendLine) {
        notify('typing into a runtime is not available here');
        return;
      }
      const name = sanitizeLine(runtime.name);
      notify(`sending to ${name}…`);
      services.sendLine(runtime, text).then(
        () => notify(`sent to ${name}: ${sanitizeLine(text)}`),
        (error: unknown) => notify(`not sent to ${name}: ${reasonOf(error)}`),
      );
    },
    settleInput(runtime, action) {
      if (!services.settleInput) {
        notify('submitting or clearing an input line is not available here');
        return;
      }
      const name = sanitizeLine(runtime.name);
      notify(`${action === 'submit' ? 'submitting' : 'clearing'} the input line of ${name}…`);
      services
        .settleInput(runtime, action)
        .then(notify, (error: unknown) =>
          notify(
            `the input line of ${name} was not ${action === 'submit' ? 'submitted' : 'cleared'}: ${reasonOf(error)}`,
          ),
        );
    },
    toggleRecord(runtime, size) {
      if (!recordings) {
        notify('recording is not available here');
        return;
      }
      recordings
        .toggle(runtime, size)
        .then(notify, (error: unknown) =>
          notify(`recording ${sanitizeLine(runtime.name)} failed: ${reasonOf(error)}`),
        );
    },
  };
}
