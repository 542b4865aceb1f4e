import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { rawAnswer } from './http-io.js';

/** Connections served at once by default: far below the usual open-file limit of 1,024. */
export const DEFAULT_MAX_CONNECTIONS = 256;
/**
 * Refused connections that may still be closing on top of the cap. Past that, Node closes a new
 * connection at once without an answer, so a flood cannot run the host out of file descriptors.
 */
const REFUSING_RESERVE = 64;
/** How long a refused client has to read its 503 before its connection is cut. */
const REFUSAL_GRACE_MS = 2_000;
/** At most one log line about refused connections per this long, counting them all. */
const REFUSED_LOG_WINDOW_MS = 10_000;

export interface ConnectionGate {
  /** Stops the refusal log's timer (the server is closing). */
  stop(): void;
}

interface OpenConnection {
  /** Requests on it whose answer has not finished; 0 is idle. */
  requests: number;
}

function refusal(max: number): string {
  return rawAnswer(
    503,
    'Service Unavailable',
    {
      code: 'too_many_connections',
      message: `the host is answering requests on all of its ${max} connections; try again shortly`,
    },
    ['retry-after: 1'],
  );
}

/**
 * Holds the HTTP server to `max` connections. At the cap a new connection closes the one that
 * has been idle the longest (no request being answered: kept alive between requests, or not
 * done sending its headers), so idle connections can never keep a request out; when every
 * connection has a request being answered, the new one gets `503 too_many_connections` at once.
 * `onRefused(count)` is told how many were refused, at most once per 10 s.
 */
export function gateConnections(
  server: Server,
  max: number,
  onRefused: (count: number) => void,
): ConnectionGate {
  // The HTTP server parses a connection from its own `connection` listener; the gate calls it
  // only for the connections it admits, so a refused one is never read as a request.
  const listeners = server.listeners('connection');
  const [serve] = listeners;
  if (listeners.length !== 1 || typeof serve !== 'function') {
    throw new Error('gateConnections: expected only the HTTP server’s own connection listener');
  }
  server.removeAllListeners('connection');
  server.maxConnections = max + REFUSING_RESERVE;

  // In the order each became idle (a Map keeps insertion order): the first idle one is the oldest.
  const open = new Map<Socket, OpenConnection>();
  const becameIdle = (socket: Socket, state: OpenConnection) => {
    open.delete(socket);
    open.set(socket, state);
  };
  const closeOldestIdle = (): boolean => {
    for (const [socket, state] of open) {
      if (state.requests > 0) continue;
      open.delete(socket);
      socket.destroy();
      return true;
    }
    return false;
  };

  let refused = 0;
  let window: NodeJS.Timeout | null = null;
  const countRefused = () => {
    refused += 1;
    if (window !== null) return;
    onRefused(refused);
    refused = 0;
    window = setTimeout(() => {
      window = null;
      if (refused > 0) onRefused(refused);
      refused = 0;
    }, REFUSED_LOG_WINDOW_MS);
    window.unref();
  };
  const answer = refusal(max);
  const refuse = (socket: Socket) => {
    countRefused();
    socket.on('error', () => {});
    const cut = setTimeout(() => socket.destroy(), REFUSAL_GRACE_MS);
    cut.unref();
    socket.once('close', () => clearTimeout(cut));
    // What the client sends is read and dropped: closing with unread bytes would be a reset,
    // which can make the client lose the answer.
    socket.resume();
    socket.end(answer);
  };

  server.on('connection', (socket: Socket) => {
    if (open.size >= max && !closeOldestIdle()) {
      refuse(socket);
      return;
    }
    open.set(socket, { requests: 0 });
    socket.once('close', () => open.delete(socket));
    serve.call(server, socket);
  });
  server.on('drop', countRefused);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    const state = open.get(socket);
    if (state === undefined) return;
    state.requests += 1;
    res.once('close', () => {
      state.requests -= 1;
      if (state.requests === 0 && open.has(socket)) becameIdle(socket, state);
    });
  });

  return {
    stop() {
      if (window !== null) clearTimeout(window);
      window = null;
    },
  };
}
