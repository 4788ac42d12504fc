import type { Express } from 'express';
import request, { type Response, type Test } from 'supertest';
import { contractProblems } from './contract-validator';

type Target = Express | string;
type Method = 'get' | 'post' | 'put' | 'delete' | 'patch' | 'head' | 'options';

async function assertOnContract(res: Response): Promise<void> {
  const req = (res as unknown as { req: { method: string; path: string } }).req;
  const body: unknown = /^text\/plain/i.test(String(res.headers['content-type'])) ? res.text : res.body;
  const problems = await contractProblems(req.method, req.path, res.status, res.headers, body);
  if (problems.length > 0) {
    throw new Error(`${req.method} ${req.path} answered off-contract:\n- ${problems.join('\n- ')}`);
  }
}

/**
 * supertest, with every response checked against the OpenAPI documents before any other
 * expectation runs: a test cannot pass on an off-contract answer.
 *
 * @example
 * await api(app).get('/apiops/projects/MyProject/keystores/').set(auth()).expect(200);
 */
export function api(target: Target): Record<Method, (path: string) => Test> {
  const agent = request(target);
  const wrap = (method: Method) => (path: string) => {
    const test = agent[method](path);
    // supertest runs custom assertions synchronously; keep the async check as a promise the
    // final `then` waits for.
    const originalThen = test.then.bind(test);
    (test as unknown as { then: Test['then'] }).then = ((onFulfilled, onRejected) =>
      originalThen(async (res) => {
        await assertOnContract(res);
        return res;
      }).then(onFulfilled, onRejected)) as Test['then'];
    return test;
  };
  return {
    get: wrap('get'),
    post: wrap('post'),
    put: wrap('put'),
    delete: wrap('delete'),
    patch: wrap('patch'),
    head: wrap('head'),
    options: wrap('options'),
  };
}
