/** One JSON line per request: never the token, only its name. */
export interface AccessEntry {
  time: string;
  method: string;
  path: string;
  status: number;
  ms: number;
  token: string | null;
}

export type LineWriter = (line: string) => void;

export const stderrWriter: LineWriter = (line) => {
  process.stderr.write(line);
};

export function accessLine(entry: AccessEntry): string {
  return `${JSON.stringify(entry)}\n`;
}

/** Connections refused at the cap since the last such line (at most one line per 10 s). */
export function refusedLine(count: number, maxConnections: number): string {
  const time = new Date().toISOString();
  return `${JSON.stringify({ time, event: 'connections_refused', count, maxConnections })}\n`;
}
