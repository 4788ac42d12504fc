import type { IncomingMessage } from 'node:http';
import { type ApiError, errors } from '../errors';
import type { PlannedFault } from '../scenarios/planned-fault';
import { FAULT_TIMINGS, FAULT_TYPES, type FaultType, type FaultWhen } from '../scenarios/scenario';

/** What the `X-Mock-Delay`, `X-Mock-Fault` and `X-Mock-Fault-When` headers of one request ask for. */
export interface MockHeaders {
  /** Milliseconds to add before the answer; 0 when not asked. */
  delayMs: number;
  fault: PlannedFault | undefined;
}

/** Read, or the first problem found: the edge turns a problem into the 400. */
export type MockHeadersResult = { valid: true; headers: MockHeaders } | { valid: false; error: ApiError };

/** The header's value, trimmed; undefined when absent or empty (as for `X-Mock-Scenario`). */
function headerOf(req: IncomingMessage, name: string): string | undefined {
  const raw = req.headers[name];
  const value = (Array.isArray(raw) ? raw.join(', ') : raw)?.trim();
  return value === undefined || value === '' ? undefined : value;
}

const isOneOf = <T extends string>(known: readonly T[], value: string): value is T =>
  (known as readonly string[]).includes(value);

/**
 * Reads the mock-only headers that delay or break one request, checking them against the
 * configured maximum delay. Repeated headers arrive joined by a comma and are refused.
 *
 * @example
 * readMockHeaders(req, 30_000);
 * // X-Mock-Delay: 250, X-Mock-Fault: connection-reset ->
 * // { valid: true, headers: { delayMs: 250, fault: { type: 'connection-reset', when: 'after', source: 'X-Mock-Fault' } } }
 */
export function readMockHeaders(req: IncomingMessage, maxDelayMs: number): MockHeadersResult {
  const delay = headerOf(req, 'x-mock-delay');
  let delayMs = 0;
  if (delay !== undefined) {
    delayMs = /^\d{1,9}$/.test(delay) ? Number(delay) : Number.NaN;
    if (!(delayMs <= maxDelayMs)) return { valid: false, error: errors.invalidMockDelay(delay, maxDelayMs) };
  }
  const type = headerOf(req, 'x-mock-fault')?.toLowerCase();
  const when = headerOf(req, 'x-mock-fault-when')?.toLowerCase();
  if (type !== undefined && !isOneOf<FaultType>(FAULT_TYPES, type)) {
    return { valid: false, error: errors.unknownMockFault(type, FAULT_TYPES) };
  }
  if (when !== undefined && (type === undefined || !isOneOf<FaultWhen>(FAULT_TIMINGS, when))) {
    return { valid: false, error: errors.invalidMockFaultWhen(when, FAULT_TIMINGS, type === undefined) };
  }
  const fault: PlannedFault | undefined =
    type === undefined ? undefined : { type, when: (when as FaultWhen | undefined) ?? 'after', source: 'X-Mock-Fault' };
  return { valid: true, headers: { delayMs, fault } };
}
