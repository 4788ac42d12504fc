import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Builds the page the browser tests load, so they never test a stale dist/ui. */
export default function buildDashboard(): void {
  execFileSync(process.execPath, [path.join(__dirname, '..', '..', 'scripts', 'build-ui.js')], { stdio: 'inherit' });
}
