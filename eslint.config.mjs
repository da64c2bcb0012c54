// Strict TypeScript linting, Pulumi's rule against outputs inside template literals, and the architecture's import
// rules (eslint/module-boundaries.cjs): no import cycle between files or modules, no product-to-tool import.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import pulumi from "@pulumi/eslint-plugin";
import semester from "./eslint/module-boundaries.cjs";

export default tseslint.config(
  { ignores: ["node_modules/", "build/", "dist/", "vendor/", "jest.config.js"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { "@pulumi": pulumi },
    rules: {
      "@pulumi/no-output-in-template-literal": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "no-console": "off",
    },
  },
  {
    // The repository's own lint rules are CommonJS, so jest can load them too.
    files: ["eslint/**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", module: "writable" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["components/**/*.ts", "cli/**/*.ts", "policies/**/*.ts", "index.ts"],
    plugins: { semester },
    rules: {
      "semester/module-boundaries": ["error", { root: import.meta.dirname }],
    },
  },
  {
    // Tests read untyped recorded inputs and load modules in isolation (jest.isolateModules needs require).
    files: ["test/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off", "@typescript-eslint/no-require-imports": "off" },
  },
);
