// What the CLI bundle (dist/cli-bundle.js) exports: the command itself, and the server API the
// build starts once to record which functions start-up compiles (scripts/build-cli-bundle.js).
export { runCli } from './run-cli';
export { startMockServer } from '../server';
