import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{shared,main,cloud-worker,renderer,scripts,test}/**/*.test.{ts,tsx}'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
