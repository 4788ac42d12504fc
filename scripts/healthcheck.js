// Container HEALTHCHECK: the runtime image has no curl, so node asks the control plane itself.
// Exits 0 on HTTP 200 from /__mock/health, 1 otherwise (error, other status, or no answer in 3 s).
'use strict';

const http = require('node:http');
const { setTimeout } = require('node:timers');

const port = Number(process.env.PORT || 8080);
const token = process.env.MOCK_ADMIN_TOKEN;
const headers = token ? { Authorization: `Bearer ${token}` } : {};

function fail(reason) {
  console.error(`healthcheck: GET http://127.0.0.1:${port}/__mock/health ${reason}`);
  process.exit(1);
}

const request = http.get({ host: '127.0.0.1', port, path: '/__mock/health', headers }, (response) => {
  response.resume();
  if (response.statusCode === 200) process.exit(0);
  fail(`answered ${response.statusCode}${response.statusCode === 401 ? ' (is MOCK_ADMIN_TOKEN right?)' : ''}`);
});
request.on('error', (error) => fail(`failed: ${error.message}`));
// A hard deadline, not a socket idle timeout: a slow trickle must not keep the check alive.
setTimeout(() => fail('gave no answer within 3 s'), 3000).unref();
