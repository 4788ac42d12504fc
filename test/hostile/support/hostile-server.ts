import { startMockServer, type MockServer } from '../../../src/server';

/**
 * The real server the hostile suites talk to over raw sockets: quiet, seeded, every response
 * checked against the document, and a short body timeout so stalled bodies are answered fast.
 *
 * @example
 * beforeAll(async () => { server = await startHostileServer(); });
 */
export function startHostileServer(): Promise<MockServer> {
  return startMockServer({ logLevel: 'silent', seed: 1, validateResponses: true, bodyIdleTimeoutMs: 200 });
}
