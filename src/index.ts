/**
 * keystore-mock's programmatic API: start a mock server in a test suite, or build the app
 * without listening.
 *
 * @example
 * import { startMockServer } from 'keystore-mock';
 * const mock = await startMockServer();
 */
export { startMockServer, type MockServer, type MockServerEvents, type MockServerOptions } from './server';
export type { ReloadEvent, ReloadErrorEvent } from './watch/reloadable-app';
export type { FileChange } from './watch/watch-fixtures';
export { createApp, type AppOptions, type MockApp } from './app';
export { resolveConfig, DEFAULT_CONFIG, type Config, type LogLevel } from './config';
export type {
  JournalEntry,
  JournalFilter,
  JournalRequest,
  JournalResponse,
  TruncatedBody,
  TruncatedField,
} from './control/request-journal';
export {
  VerificationError,
  type CountExpectation,
  type Difference,
  type EntrySummary,
  type NearMiss,
  type RequestPattern,
  type Verification,
  type VerificationOutcome,
} from './control/verify-requests';
export type { Keystore, KeystoreInput, KeystoreEnvironment } from './keystores/keystore';
export type { StoreSnapshot } from './keystores/keystore-store';
export type { ScenarioFile } from './scenarios/scenario';
export type { ScenarioSummary } from './scenarios/scenario-catalog';
export { ApiError, type ErrorBody, type FieldError } from './errors';
