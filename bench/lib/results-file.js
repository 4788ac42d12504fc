// bench/results.json is shared by bench, bench:startup and bench:memory: each script replaces
// only its own section, so the figures of the other scripts survive a re-run of one of them.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const RESULTS = path.resolve(__dirname, '..', 'results.json');

/** What the figures were measured on; they mean little without it. */
function machine() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cpuCount: cpus.length,
    totalMemoryMb: Math.round(os.totalmem() / 1024 / 1024),
    loadAverage: os.loadavg().map((load) => Number(load.toFixed(2))),
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
    date: new Date().toISOString(),
  };
}

function readResults() {
  try {
    return JSON.parse(fs.readFileSync(RESULTS, 'utf8'));
  } catch {
    return {};
  }
}

/**
 * Writes `section` under `key` in bench/results.json, next to a fresh machine description,
 * keeping the other sections.
 *
 * @example
 * saveSection('startup', { mockMedianMs: 310 });
 */
function saveSection(key, section) {
  const results = readResults();
  results.machine = machine();
  results[key] = { date: new Date().toISOString(), ...section };
  fs.writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  return path.relative(process.cwd(), RESULTS);
}

/** Rounds for display and storage: figures past two decimals are noise here. */
function round(value, digits = 2) {
  return typeof value === 'number' && Number.isFinite(value) ? Number(value.toFixed(digits)) : null;
}

module.exports = { RESULTS, machine, saveSection, round };
