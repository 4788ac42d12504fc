import type { IncomingMessage } from 'node:http';
import type { Principal } from '../auth/token-registry';
import type { Reply } from '../http/reply';
import type { ProjectInfo } from '../keystores/keystore';
import type { PlannedFault } from '../scenarios/planned-fault';
import type { Scenario } from '../scenarios/scenario';
import type { Session } from '../store/world-store';

/** The request as openapi-backend reads it; the body is filled in once it has been read and parsed. */
export interface BackendRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string | string[]>;
  body?: unknown;
}

/** Everything learnt about one request on its way through the pipeline. */
export interface Exchange {
  readonly req: IncomingMessage;
  readonly request: BackendRequest;
  /** True for HEAD, answered as GET without a body. */
  readonly headOnly: boolean;
  session: Session | undefined;
  scenario: Scenario | undefined;
  principal: Principal | undefined;
  project: ProjectInfo | undefined;
  operationId: string | null;
  keystoreName: string | null;
  /** The body, parsed; undefined for operations that take none. */
  body: unknown;
  /** Mock-only query parameters (`__code`, `__example`, `__dynamic`), kept out of validation. */
  mockQuery: Readonly<Record<string, string>>;
  /** Hints for the journal and the log that the contract keeps out of the body (see `note`). */
  notes: string[];
  /** Headers added to whatever reply goes out, errors included. */
  replyHeaders: Record<string, string>;
  /** Milliseconds to wait before answering (`X-Mock-Delay`, a scenario's per-operation delay), on top of deployment latency. */
  delayMs: number;
  /** The fault that breaks this request, if any: `X-Mock-Fault`, else the scenario's. */
  fault: PlannedFault | undefined;
}

/** What an operation handler is given: validated input and the session it acts on. */
export interface OperationInput {
  operationId: string;
  /** Path parameters, percent-decoded. */
  params: Readonly<Record<string, string>>;
  /** Query parameters, as parsed (strings or arrays of strings). */
  query: Readonly<Record<string, unknown>>;
  body: unknown;
  session: Session;
  scenario: Scenario;
  /** The project named by the path, when the path names one. */
  project: ProjectInfo | undefined;
  /** Request headers, lower-cased names. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Mock-only query parameters (`__code`, `__example`, `__dynamic`). */
  mockQuery: Readonly<Record<string, string>>;
  /** Records a hint in the journal entry and the request's log line, never in the body. */
  note(text: string): void;
  /**
   * Breaks this request with a scenario's fault unless one is already in force (`X-Mock-Fault`
   * wins). True when this fault is the one in force: with `when: 'before'` the handler must then
   * change nothing and return `NOT_ANSWERED`.
   */
  breakWith(fault: PlannedFault): boolean;
}

/**
 * A handler keyed by operationId. `check` runs every rule of the contract that can still fail
 * (so a scenario's canned answer never jumps ahead of one); `act` changes state and replies.
 * Either throws an ApiError for a known failure.
 */
export interface OperationHandler {
  check?: (input: OperationInput) => void | Promise<void>;
  act: (input: OperationInput) => Reply | Promise<Reply>;
}
