// A small keep-alive JSON client for setting up and checking state (not for load): resets,
// the keystores a case needs before it runs, and reading the store back.
'use strict';

const { Buffer } = require('node:buffer');
const http = require('node:http');

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/**
 * Sends one request and resolves to `{ status, body }`, `body` parsed when it is JSON.
 *
 * @example
 * const { status } = await call(mock.port, 'POST', '/__mock/reset');
 */
function call(port, method, urlPath, { headers = {}, body } = {}) {
  const payload = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const sendHeaders = { ...headers };
  if (payload !== undefined) sendHeaders['Content-Length'] = String(payload.length);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, method, path: urlPath, headers: sendHeaders, agent });
    request.setTimeout(30_000, () => request.destroy(new Error(`${method} ${urlPath} timed out after 30 s`)));
    request.on('error', reject);
    request.on('response', (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // not JSON: keep the text
        }
        resolve({ status: response.statusCode, body: parsed });
      });
    });
    request.end(payload);
  });
}

/** Like `call`, but throws unless the status is `expected`. */
async function callExpecting(expected, port, method, urlPath, options) {
  const response = await call(port, method, urlPath, options);
  if (response.status !== expected) {
    const body = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
    throw new Error(`${method} ${urlPath} answered ${response.status}, expected ${expected}: ${body.slice(0, 500)}`);
  }
  return response;
}

/** Runs `task(item)` over `items` with at most `limit` in flight; rejects on the first failure. */
async function forEachBounded(items, limit, task) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Closes the idle keep-alive sockets so the script can exit. */
function closeClient() {
  agent.destroy();
}

module.exports = { call, callExpecting, forEachBounded, closeClient };
