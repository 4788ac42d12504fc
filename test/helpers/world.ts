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
 * A fresh app on the shipped fixtures, silent, seeded, with self-validation on (as the suite
 * always runs) and instant deployments unless a test wants real waits.
 */
export async function testApp(overrides: Partial<Config> = {}, options: AppOptions = {}): Promise<MockApp> {
  return createApp(resolveConfig({ logLevel: 'silent', seed: 42, validateResponses: true, ...overrides }), {
    wait: () => Promise.resolve(),
    ...options,
  });
}
