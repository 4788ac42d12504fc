// What a jest user pays: startMockServer() the first time in a process, startMockServer() after
// that, and reset(). Each run is a fresh Node process (programmatic-child.js), so "first" really
// is the first call in a process, as in a jest worker that opens a test file.
'use strict';

const path = require('node:path');
const { round } = require('./results-file');
const { spawnNode } = require('./servers');
const { median } = require('./spawn-timing');

const CHILD = path.join(__dirname, 'programmatic-child.js');

/** Runs the child once and resolves to its JSON line of timings. */
function runChild() {
  return new Promise((resolve, reject) => {
    const child = spawnNode('programmatic-child', [CHILD]);
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.once('exit', (code, signal) => {
      if (code !== 0) {
        reject(new Error(`programmatic-child.js exited with ${code ?? signal}:\n${child.output()}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout.trim().split('\n').at(-1)));
      } catch {
        reject(new Error(`programmatic-child.js printed no JSON line:\n${child.output()}`));
      }
    });
  });
}

/** The value below which `share` of the sorted values lie (nearest rank). */
function percentile(values, share) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)];
}

/**
 * Medians over `runs` fresh processes: loading the package, the first startMockServer(), later
 * calls, and reset() of a session holding five keystores (with its p99 over every call).
 *
 * @example
 * const { firstCallMs, subsequentCallMs, resetMs } = await programmaticTimes(5, console.log);
 */
async function programmaticTimes(runs, log = () => {}) {
  const samples = [];
  for (let run = 1; run <= runs; run += 1) {
    const sample = await runChild();
    samples.push(sample);
    log(
      `  programmatic run ${run}/${runs}: import ${sample.importMs.toFixed(1)} ms, first startMockServer ` +
        `${sample.firstCallMs.toFixed(1)} ms, later ${median(sample.subsequentMs).toFixed(1)} ms, ` +
        `reset ${median(sample.resetMs).toFixed(3)} ms`,
    );
  }
  const resets = samples.flatMap((sample) => sample.resetMs);
  return {
    runs,
    importMs: { median: round(median(samples.map((sample) => sample.importMs))) },
    firstCallMs: {
      median: round(median(samples.map((sample) => sample.firstCallMs))),
      samples: samples.map((sample) => round(sample.firstCallMs)),
    },
    subsequentCallMs: { median: round(median(samples.flatMap((sample) => sample.subsequentMs))) },
    resetMs: { median: round(median(resets), 3), p99: round(percentile(resets, 0.99), 3), calls: resets.length },
  };
}

module.exports = { programmaticTimes };
