// The request bodies and headers the bench, memory and soak scripts send to the keystore API.
// Fixed bytes rather than random ones, so every run sends exactly the same payloads.
'use strict';

const { Buffer } = require('node:buffer');

const AUTH = { Authorization: 'Bearer demo-token' };
const JSON_AUTH = { ...AUTH, 'Content-Type': 'application/json' };

/** `bytes` bytes of a fixed pattern after JKS's magic number, base64-encoded: 2304 bytes give 3072 characters (3 KB). */
function keystoreFile(bytes = 2304) {
  const raw = Buffer.alloc(bytes);
  for (let index = 0; index < bytes; index += 1) raw[index] = (index * 31 + 7) & 0xff;
  // A JKS file's magic number: a file that does not look like its type costs a warning per request.
  raw.writeUInt32BE(0xfeedfeed, 0);
  return raw.toString('base64');
}

const FILE_3KB = keystoreFile();

/**
 * A complete keystore body, as create and update take it.
 *
 * @example
 * JSON.stringify(keystoreBody('bench-1')); // one JKS file for production
 */
function keystoreBody(name, { environments = ['production'], type = 'JKS', file = FILE_3KB } = {}) {
  return {
    name,
    keyStoreEnvironmentList: environments.map((environmentName) => ({ environmentName, type, file })),
  };
}

/** The collection path of a project's keystores, with the documented trailing slash. */
function keystoresPath(project) {
  return `/apiops/projects/${encodeURIComponent(project)}/keystores/`;
}

/** The path of one keystore, with the documented trailing slash. */
function keystorePath(project, name) {
  return `${keystoresPath(project)}${encodeURIComponent(name)}/`;
}

module.exports = { AUTH, JSON_AUTH, FILE_3KB, keystoreFile, keystoreBody, keystoresPath, keystorePath };
