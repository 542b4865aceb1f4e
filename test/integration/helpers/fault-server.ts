import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A runtime host that misbehaves on demand, for the HTTP driver's tests: node:http on 127.0.0.1,
 * port 0. Each test sets `fault`, which sees every request after its body was read in full.
 */

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type Fault = (req: IncomingMessage, res: ServerResponse, seen: SeenRequest) => void;

export interface FaultServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Every request that reached the server, in order. */
  requests: SeenRequest[];
  fault: Fault;
  close(): Promise<void>;
}

export async function startFaultServer(): Promise<FaultServer> {
  const requests: SeenRequest[] = [];
  const state: { fault: Fault } = {
    fault: (_req, res) => {
      res.writeHead(500).end('no fault set');
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const seen: SeenRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(seen);
      state.fault(req, res, seen);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get fault() {
      return state.fault;
    },
    set fault(fault: Fault) {
      state.fault = fault;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers with a JSON body. */
export function json(status: number, body: unknown): Fault {
  return (_req, res) => {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };
}

/** Answers with the contract's error body. */
export function apiError(status: number, code: string, message: string, extra = {}): Fault {
  return json(status, { error: { code, message, ...extra } });
}

/** A port nothing listens on: bound, then closed. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
