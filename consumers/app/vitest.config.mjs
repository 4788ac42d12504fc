// A consumer's vitest set-up: the package is loaded by Node's own ESM loader (vitest externalizes node_modules).
import { defineConfig } from 'vitest/config';

export default defineConfig({ test: { include: ['vitest/**/*.test.ts'] } });
