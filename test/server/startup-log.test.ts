import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import request from 'supertest';
import { createLogger } from '../../src/logging/create-logger';
import { startMockServer, type MockServer } from '../../src/server';
import { EXTENDED_SPEC, EXTENDED_WORLD } from '../fallback/extended-document';

type LogLine = Record<string, unknown>;

/** Starts a mock whose info log is kept, and returns it with its "listening" line. */
async function startLogged(options: Parameters<typeof startMockServer>[0]) {
  const lines: string[] = [];
  const logger = createLogger('info', false, { write: (line: string) => void lines.push(line) });
  const server = await startMockServer({ ...options, logger });
  const listening = lines
    .map((line) => JSON.parse(line) as LogLine)
    .find((line) => line.msg === 'keystore-mock listening');
  return { server, listening };
}

/** The extended test document with its `servers` replaced (or removed when undefined). */
function specWithServers(folder: string, url: string | undefined): string {
  const document = yaml.load(fs.readFileSync(EXTENDED_SPEC, 'utf8')) as Record<string, unknown>;
  if (url === undefined) delete document.servers;
  else document.servers = [{ url }];
  const file = path.join(folder, `spec-${url === undefined ? 'no-servers' : 'servers'}.yaml`);
  fs.writeFileSync(file, yaml.dump(document));
  return file;
}

describe('the start-up log line', () => {
  const servers: MockServer[] = [];
  afterAll(() => Promise.all(servers.map((server) => server.close())));

  it('names the wildcard address actually bound and a localhost URL a person can open', async () => {
    const { server, listening } = await startLogged({ host: '0.0.0.0' });
    servers.push(server);
    expect(listening).toMatchObject({
      address: `http://0.0.0.0:${server.port}`,
      url: `http://localhost:${server.port}`,
      apiRoot: '/apiops',
    });
  });

  it('names the loopback address as both the bound address and the URL', async () => {
    const { server, listening } = await startLogged({ host: '127.0.0.1' });
    servers.push(server);
    expect(listening).toMatchObject({
      address: `http://127.0.0.1:${server.port}`,
      url: `http://127.0.0.1:${server.port}`,
    });
  });
});

describe('the API root of a served document', () => {
  let folder: string;
  const servers: MockServer[] = [];
  beforeAll(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'keystore-mock-spec-'));
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('is /apiops for a document without servers, and the log says so', async () => {
    const { server, listening } = await startLogged({
      specPath: specWithServers(folder, undefined),
      fixturesDir: EXTENDED_WORLD,
    });
    servers.push(server);
    expect(listening?.apiRoot).toBe('/apiops');
  });

  it('is the path of the first server URL, and the log says so', async () => {
    const { server, listening } = await startLogged({
      specPath: specWithServers(folder, 'https://gateway.example/v2'),
      fixturesDir: EXTENDED_WORLD,
    });
    servers.push(server);
    expect(listening?.apiRoot).toBe('/v2');
  });

  it('answers a path outside the API root with a 404 that says where operations are served', async () => {
    const { server } = await startLogged({
      specPath: specWithServers(folder, 'https://gateway.example/v2'),
      fixturesDir: EXTENDED_WORLD,
    });
    servers.push(server);
    const res = await request(server.url).get('/apiops/users/u-1');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: 'not_found',
      error_description: 'No operation is served at GET /apiops/users/u-1; the API is served under /v2/.',
    });
  });

  it('answers an unknown path inside the API root with a 404 that names only the path', async () => {
    const { server } = await startLogged({ fixturesDir: EXTENDED_WORLD });
    servers.push(server);
    const res = await request(server.url).get('/apiops/nowhere');
    expect(res.body.error_description).toBe('No operation is served at GET /apiops/nowhere.');
  });
});
