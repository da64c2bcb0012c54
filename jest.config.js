/** Tests are transpiled by SWC (type-checking is `npm run typecheck`); cel-js ships ESM only, so it is transformed too. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.(t|j)sx?$": ["@swc/jest", { jsc: { target: "es2022" }, module: { type: "commonjs" } }],
  },
  transformIgnorePatterns: ["/node_modules/(?!@marcbachmann/cel-js/)"],
  testTimeout: 60000,
  // Two workers on a 2-core machine: suites are mostly CPU-bound module loading, which overlaps well.
  maxWorkers: 2,
};
