import type { Express } from 'express';
import type { Response } from 'supertest';
import { api } from '../helpers/contract-request';

/** The HTTP methods a described request may use. */
export type Method = 'get' | 'post' | 'put' | 'delete' | 'patch' | 'head';

/** A whole request written as data, so that tables of cases can list requests side by side. */
export interface RequestSpec {
  method: Method;
  path: string;
  /** The raw `Authorization` header; none is sent when it is left out. */
  authorization?: string;
  /** A body sent as `application/json`. */
  json?: unknown;
  /** A body sent exactly as given, with its own Content-Type. */
  raw?: { contentType: string; body: string | Buffer };
}

/**
 * Sends a described request through the contract-checking supertest wrapper.
 *
 * @example
 * const res = await sendRequest(app, { method: 'get', path: keystoresPath(), authorization: 'Bearer demo-token' });
 */
export async function sendRequest(app: Express, spec: RequestSpec): Promise<Response> {
  const test = api(app)[spec.method](spec.path);
  if (spec.authorization !== undefined) test.set('Authorization', spec.authorization);
  if (spec.raw !== undefined) test.set('Content-Type', spec.raw.contentType).send(spec.raw.body);
  else if (spec.json !== undefined) test.send(spec.json as object);
  return test;
}
