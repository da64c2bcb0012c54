/**
 * The import rule that keeps the architecture acyclic (eslint/module-boundaries.cjs), run through ESLint's own
 * Linter on small trees written to a temporary directory, and on the real tree.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Linter } from "eslint";
import tseslint from "typescript-eslint";

const rule = require("../../eslint/module-boundaries.cjs");

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "boundaries-"));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

/** The rule's messages for one file of a tree. */
function lint(root: string, file: string): string[] {
  const linter = new Linter({ configType: "flat", cwd: root });
  const messages = linter.verify(
    fs.readFileSync(path.join(root, file), "utf8"),
    [
      {
        files: ["**/*.ts"],
        languageOptions: { parser: tseslint.parser as Linter.Parser },
        plugins: { semester: rule },
        rules: { "semester/module-boundaries": ["error", { root }] },
      },
    ],
    { filename: path.join(root, file) },
  );
  return messages.map((m) => m.message);
}

describe("module-boundaries", () => {
  it("reports a type-only cycle between two files, in both files", () => {
    const root = tree({
      "components/kubernetes/config.ts": 'import { DATA } from "./data-access";\nexport type Name = "a";\n',
      "components/kubernetes/data-access.ts":
        'import type { Name } from "./config";\nexport const DATA = 1;\n',
    });
    const cycle = "components/kubernetes/config.ts <-> components/kubernetes/data-access.ts";
    expect(lint(root, "components/kubernetes/config.ts")).toEqual([
      `Import cycle between files ${cycle}: this file imports ./data-access, which leads back here; put what both need in one of them or in a third file.`,
    ]);
    expect(lint(root, "components/kubernetes/data-access.ts")).toHaveLength(1);
  });

  it("reports a cycle between modules that no file cycle shows", () => {
    const root = tree({
      "components/config/schema.ts": 'import { x } from "../cluster";\nexport const y = x;\n',
      "components/cluster/index.ts": 'export { x } from "./config";\n',
      "components/cluster/config.ts": "export const x = 1;\n",
      "components/cluster/regional-cluster.ts":
        'import { REGIONS } from "../config";\nexport const r = REGIONS;\n',
      "components/config/index.ts": 'export { REGIONS } from "./aws-regions";\n',
      "components/config/aws-regions.ts": "export const REGIONS = [];\n",
    });
    expect(lint(root, "components/cluster/regional-cluster.ts")).toEqual([
      "Module cycle components/cluster <-> components/config: components/cluster imports components/config " +
        "(../config), and components/config leads back to components/cluster; move the shared contract " +
        "into a module both may depend on (often components/core) or narrow the argument type.",
    ]);
    expect(lint(root, "components/cluster/config.ts")).toEqual([]);
  });

  it("refuses product code importing the tools", () => {
    const root = tree({
      "components/governance/offline.ts":
        'import type { Plan } from "../../cli/plan/record";\nexport type P = Plan;\n',
      "cli/plan/record.ts": "export type Plan = number;\n",
    });
    expect(lint(root, "components/governance/offline.ts")).toEqual([
      "components/governance is product code and must not import cli (../../cli/plan/record); move the shared contract into components/.",
    ]);
  });

  it("reaches another module only through its index.ts", () => {
    const root = tree({
      "components/core/index.ts": 'export { P } from "./problem";\n',
      "components/core/problem.ts": "export const P = 1;\n",
      "components/config/load.ts": 'import { P } from "../core/problem";\nexport const L = P;\n',
      "cli/plan.ts": 'const load = () => import("../components/config/load");\nexport const C = load;\n',
    });
    expect(lint(root, "components/config/load.ts")).toEqual([
      "../core/problem is internal to components/core: import its public API (components/core/index.ts) instead, and export what is needed there.",
    ]);
    expect(lint(root, "cli/plan.ts")).toEqual([
      "../components/config/load is internal to components/config: import its public API (components/config/index.ts) instead, and export what is needed there.",
    ]);
  });

  it("accepts layered imports through the public APIs, and tools importing the product", () => {
    const root = tree({
      "components/core/index.ts": 'export { P } from "./problem";\n',
      "components/core/problem.ts": "export const P = 1;\n",
      "components/config/index.ts": 'export { L } from "./load";\n',
      "components/config/load.ts": 'import { P } from "../core";\nexport const L = P;\n',
      "cli/plan.ts": 'import { L } from "../components/config";\nexport const C = L;\n',
    });
    expect(lint(root, "components/config/load.ts")).toEqual([]);
    expect(lint(root, "cli/plan.ts")).toEqual([]);
  });

  it("finds no cycle in Semester itself", () => {
    const root = path.resolve(__dirname, "../..");
    const { files, modules } = rule.importGraphs(root);
    expect(rule.cyclesOf(modules)).toEqual([]);
    expect(rule.cyclesOf(files)).toEqual([]);
  });
});
