import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import { createApp, type AppOptions, type MockApp } from '../../src/app';
import { resolveConfig, type Config } from '../../src/config';

/** The tokens of the shipped fixtures. */
export const TOKENS = {
  both: 'demo-token',
  noDeploy: 'no-deploy-token',
  noRole: 'no-role-token',
  expired: 'expired-token',
} as const;

/** An Authorization header for a token (demo-token by default). */
export function auth(token: string = TOKENS.both): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}

/** A small real-looking JKS file, base64. */
export const JKS_FILE = Buffer.from([0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2, 1, 2, 3, 4]).toString('base64');

/** A valid create body; override any part. */
export function aKeystore(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'my-keystore',
    description: 'Keystore for API security',
    keyStoreEnvironmentList: [{ environmentName: 'production', type: 'JKS', file: JKS_FILE }],
    ...overrides,
  };
}

/** The keystores path of a project. */
export function keystoresPath(project = 'MyProject'): string {
  return `/apiops/projects/${project}/keystores/`;
}

/** The path of one keystore. */
export function keystorePath(name: string, project = 'MyProject'): string {
  return `/apiops/projects/${project}/keystores/${encodeURIComponent(name)}/`;
}

/**
 * The store the shared suites run against: `memory`, or the Redis that `npm run test:redis`
 * names in KEYSTORE_MOCK_TEST_STORE, so one suite checks both stores without a copy.
 */
export const TEST_STORE = process.env.KEYSTORE_MOCK_TEST_STORE ?? 'memory';

const openApps: MockApp[] = [];
// Redis connections would keep a jest worker alive: every app a file made is closed after it.
afterAll(async () => {
  await Promise.all(openApps.splice(0).map((app) => app.close()));
});

/** The store options of one test app: its own Redis namespace, so apps never see each other's state. */
export function testStore(): Pick<Config, 'store' | 'storeNamespace'> {
  // A UUID, not a counter: jest evaluates this module afresh for each file in one worker.
  return { store: TEST_STORE, storeNamespace: `kmtest:${randomUUID()}` };
}

/**
 * How many replicas each test app is: with KEYSTORE_MOCK_TEST_REPLICAS=2 (`npm run test:redis`
 * sets it for its second pass) every test app is two replicas on one Redis behind a round-robin
 * balancer, so the shared suites show that replicas pass the same checks as one process.
 */
export const TEST_REPLICAS = Number(process.env.KEYSTORE_MOCK_TEST_REPLICAS ?? '1');

/** An Express app that hands each request to the next replica in turn, as a plain balancer does. */
function roundRobin(replicas: readonly MockApp[]): Express {
  let next = 0;
  const balancer = express();
  balancer.use((req, res) => {
    const replica = replicas[next % replicas.length] as MockApp;
    next += 1;
    replica.app(req, res);
  });
  return balancer;
}

/**
 * A fresh app on the shipped fixtures, silent, seeded, with self-validation on (as the suite
 * always runs) and instant deployments unless a test wants real waits.
 */
export async function testApp(overrides: Partial<Config> = {}, options: AppOptions = {}): Promise<MockApp> {
  const config = resolveConfig({ logLevel: 'silent', seed: 42, validateResponses: true, ...testStore(), ...overrides });
  const replicas: MockApp[] = [];
  for (let index = 0; index < Math.max(1, TEST_REPLICAS); index += 1) {
    replicas.push(await createApp(config, { wait: () => Promise.resolve(), ...options }));
  }
  openApps.push(...replicas);
  const [first] = replicas as [MockApp, ...MockApp[]];
  return replicas.length === 1 ? first : { ...first, app: roundRobin(replicas) };
}
