import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SHIPPED_WORLD = path.join(__dirname, '..', '..', 'fixtures', 'world.yaml');

/**
 * Makes a fixtures folder under the OS temp folder with the shipped world.yaml and the given
 * scenario files (file name -> text); the caller removes it with `removeFixtures`.
 *
 * @example
 * const dir = temporaryFixtures({ 'broken.yaml': 'tokenExpired: 1\n' });
 */
export function temporaryFixtures(scenarioFiles: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keystore-mock-fixtures-'));
  fs.copyFileSync(SHIPPED_WORLD, path.join(dir, 'world.yaml'));
  fs.mkdirSync(path.join(dir, 'scenarios'));
  for (const [name, text] of Object.entries(scenarioFiles)) {
    fs.writeFileSync(path.join(dir, 'scenarios', name), text);
  }
  return dir;
}

/** Removes a folder made by `temporaryFixtures`. */
export function removeFixtures(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
