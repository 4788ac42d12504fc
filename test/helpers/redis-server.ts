import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';

/** How long a redis-server may take to accept connections before the suite gives up on it. */
const START_BOUND_MS = 10_000;

/** A real redis-server that one suite owns: on a free port of 127.0.0.1, in a folder of its own. */
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** Stops it with SIGTERM (an AOF is flushed) and waits for it to exit; the folder is kept for `restart`. */
  stop(): Promise<void>;
  /** Stops it with SIGKILL, as a crash would, and waits for it to exit. */
  kill(): Promise<void>;
  /** Starts it again on the same port and folder (stopping it first when it runs), and waits until it answers. */
  restart(): Promise<void>;
  /** Stops it and removes its folder: for afterAll. */
  close(): Promise<void>;
}

/** Options of `startRedisServer`. */
export interface RedisServerOptions {
  /** Keeps every write in an append-only file (fsync always), so the data survives a restart or a kill. */
  appendOnly?: boolean;
}

/** A TCP port nothing listens on right now, picked by the system. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A key prefix no other test uses, so tests sharing one Redis never see each other's keys. */
export function uniqueNamespace(label = 'test'): string {
  return `keystore-mock-test:${label}:${randomUUID()}`;
}

/** Resolves once the server writes its ready line; rejects when it exits first or takes too long. */
function ready(child: ChildProcess, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const finish = (error?: Error) => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Ready to accept connections/.test(output)) finish();
    };
    const onExit = (code: number | null) =>
      finish(new Error(`redis-server on port ${port} exited (${code}) before it was ready:\n${output}`));
    const timer = setTimeout(
      () => finish(new Error(`redis-server on port ${port} was not ready within ${START_BOUND_MS} ms:\n${output}`)),
      START_BOUND_MS,
    );
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** Confirms with one PING that the server answers, and closes the client. */
async function ping(url: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const answer = await client.ping();
    if (answer !== 'PONG') throw new Error(`redis-server at ${url} answered PING with ${answer}`);
  } finally {
    client.disconnect();
  }
}

function exited(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

/**
 * Starts a real redis-server for a suite and waits until it answers. Nothing is saved to disk
 * unless `appendOnly` is asked for.
 *
 * @example
 * const redis = await startRedisServer({ appendOnly: true });
 * await redis.restart();
 * await redis.close();
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keystore-mock-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  const persistence = options.appendOnly ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir, ...persistence];
  let child: ChildProcess | undefined;

  const start = async () => {
    const started = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    await ready(started, port);
    await ping(url);
  };
  const stopWith = async (signal: NodeJS.Signals) => {
    if (child !== undefined) await exited(child, signal);
    child = undefined;
  };

  await start();
  return {
    url,
    port,
    stop: () => stopWith('SIGTERM'),
    kill: () => stopWith('SIGKILL'),
    restart: async () => {
      await stopWith('SIGTERM');
      await start();
    },
    close: async () => {
      await stopWith('SIGTERM');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A Redis that a suite may share with others: it never stops or restarts it. */
export interface SharedRedis {
  readonly url: string;
  /** Stops the server when this suite started it; leaves one given by REDIS_URL alone. */
  release(): Promise<void>;
}

/**
 * The Redis of `REDIS_URL` when it is set (CI starts one for the run), else a server of the
 * suite's own. For suites that only need a Redis; a suite that stops Redis starts its own.
 *
 * @example
 * const redis = await sharedRedis();
 * afterAll(() => redis.release());
 */
export async function sharedRedis(): Promise<SharedRedis> {
  const given = process.env.REDIS_URL;
  if (given !== undefined && given !== '') return { url: given, release: () => Promise.resolve() };
  const own = await startRedisServer();
  return { url: own.url, release: () => own.close() };
}
