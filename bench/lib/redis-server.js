'use strict';

const { spawn } = require('node:child_process');
const net = require('node:net');
const { setTimeout } = require('node:timers');

/** A free port on 127.0.0.1, picked by the kernel. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once redis-server answers PING on the port; rejects after `boundMs`. */
function answersPing(port, boundMs) {
  const deadline = Date.now() + boundMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.once('data', (data) => {
        socket.destroy();
        if (data.toString().startsWith('+PONG')) resolve();
        else retry();
      });
      socket.once('error', retry);
      function retry() {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`redis-server did not answer PING on port ${port}`));
        else setTimeout(attempt, 20);
      }
    };
    attempt();
  });
}

/**
 * Starts a throwaway redis-server (no persistence) on a free port for `npm run bench -- --store
 * redis`, beside the mock on the same host, and returns its URL and a stop function.
 */
async function startRedis() {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  const failed = new Promise((_, reject) =>
    child.once('error', (error) => reject(new Error(`could not start redis-server: ${error.message}`))),
  );
  await Promise.race([answersPing(port, 10_000), failed]);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

module.exports = { startRedis };
