import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeResult, homeCli, parseJson } from './helpers/cli.js';

const TOKEN = 'host-token-e2e-81c4';
const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve));
});

/** A runtime host that answers GET /v1/runtimes with one runtime, and only to our token. */
async function fakeHost(): Promise<string> {
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json; charset=utf-8');
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.writeHead(401).end(JSON.stringify({ error: { code: 'unauthenticated', message: 'no' } }));
      return;
    }
    if (req.method === 'GET' && req.url === '/v1/health') {
      res.writeHead(200).end(JSON.stringify({ ok: true, version: 'fake', tmux: 'tmux 3.3a' }));
      return;
    }
    if (req.method === 'GET' && req.url === '/v1/runtimes') {
      const runtime = {
        id: 'rt_8f2c1a',
        name: 'mc-4429',
        profile: 'codex',
        cwd: '/srv/work/mc-4429',
        state: 'idle',
        ticket: 'MC-4429',
        createdAt: '2026-11-25T06:01:00Z',
        lastActivityAt: '2026-11-25T06:44:10Z',
        command: 'codex',
      };
      res.writeHead(200).end(JSON.stringify({ runtimes: [runtime] }));
      return;
    }
    res.writeHead(404).end(JSON.stringify({ error: { code: 'not_found', message: 'no route' } }));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A port nothing listens on. */
async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

describe('runtimes list over every host', () => {
  it("shows each host's runtimes, and a failing host as failing without hiding the others", async () => {
    const cr = await homeCli();
    const tokenFile = join(cr.home, 'token');
    await writeFile(tokenFile, TOKEN);
    const socket = ['--tmux-socket', `cr-e2e-none-${process.pid}`];
    expect(
      (await cr('hosts', 'add', 'buildbox', await fakeHost(), '--token-file', tokenFile)).code,
    ).toBe(0);
    expect((await cr('hosts', 'add', 'down', await refusedUrl())).code).toBe(0);

    const listed = await cr(...socket, '--json', 'runtimes', 'list');
    expect(listed.code, describeResult(listed)).toBe(1);
    const runtimes = parseJson<{ host: string; id: string; name: string }[]>(listed);
    expect(runtimes).toEqual([
      expect.objectContaining({ host: 'buildbox', id: 'rt_8f2c1a', name: 'mc-4429' }),
    ]);
    expect(listed.stderr).toMatch(/host down: unreachable/);
    expect(listed.stdout + listed.stderr).not.toContain(TOKEN);

    const human = await cr(...socket, 'runtimes', 'list');
    expect(human.stdout).toMatch(/^buildbox\s+rt_8f2c1a\s+mc-4429/m);
    expect(human.stderr).toMatch(/host down: unreachable/);
    expect(human.stderr).toMatch(/check that it runs and the address is right/);

    const one = await cr(...socket, '--json', 'runtimes', 'list', '--host', 'buildbox');
    expect(one.code, describeResult(one)).toBe(0);
    expect(parseJson<unknown[]>(one)).toHaveLength(1);
  });

  it('reports a host whose token is refused as auth, with its status', async () => {
    const cr = await homeCli();
    expect((await cr('hosts', 'add', 'notoken', await fakeHost())).code).toBe(0);
    const listed = await cr(
      '--tmux-socket',
      `cr-e2e-none-${process.pid}`,
      'runtimes',
      'list',
      '--host',
      'notoken',
    );
    expect(listed.code).toBe(1);
    expect(listed.stderr).toMatch(/host notoken: auth 401/);
  });
});

describe('doctor with hosts', () => {
  it('checks each host: reachable with its scopes, and says what to do about one that is down', async () => {
    const cr = await homeCli();
    const tokenFile = join(cr.home, 'token');
    await writeFile(tokenFile, TOKEN);
    expect(
      (await cr('hosts', 'add', 'buildbox', await fakeHost(), '--token-file', tokenFile)).code,
    ).toBe(0);
    expect((await cr('hosts', 'add', 'down', await refusedUrl())).code).toBe(0);
    const socket = ['--tmux-socket', `cr-e2e-none-${process.pid}`];
    const result = await cr(...socket, '--json', 'doctor');
    expect(result.code, describeResult(result)).toBe(1);
    const report = parseJson<{
      ok: boolean;
      checks: { name: string; status: string; detail: string; hint?: string }[];
    }>(result);
    expect(report.ok).toBe(false);
    const up = report.checks.find((c) => c.name === 'host buildbox');
    const down = report.checks.find((c) => c.name === 'host down');
    expect(up).toMatchObject({ status: 'ok' });
    expect(up?.detail).toMatch(/reachable, token accepted, read and send/);
    expect(down).toMatchObject({ status: 'fail' });
    expect(down?.detail).toMatch(/unreachable/);
    expect(down?.hint).toMatch(/host serve runs there/);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
  });
});
