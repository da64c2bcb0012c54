/**
 * Tests are transpiled by Sucrase without type-checking (`npm run typecheck` does that once). Sucrase is
 * pure JavaScript: SWC's and esbuild's per-platform binaries are not all on every registry mirror, which
 * breaks `npm ci` on a clean machine. cel-js and augurs ship ESM only, so they are transpiled to CommonJS too.
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.[tj]s$": [
      "@sucrase/jest-plugin",
      { transforms: ["typescript", "imports"], disableESTransforms: true },
    ],
  },
  transformIgnorePatterns: ["/node_modules/(?!@marcbachmann/cel-js/|@bsull/augurs/)"],
  testTimeout: 60000,
  setupFilesAfterEnv: ["<rootDir>/test/support/plain-stack-traces.ts"],
  // Two workers on a 2-core machine: suites are mostly CPU-bound module loading, which overlaps well.
  maxWorkers: 2,
};
