// Module boundaries, checked by ESLint on every file: another module is imported through its index.ts (its public
// API) only, product code (components/) never imports the tools (cli/, policies/, test/), and neither files nor modules (components/<module>, cli, policies) import each other in a cycle.
// Type-only imports count: two files whose types need each other are one concept split in two. That is why this is
// our own rule and not import-x/no-cycle, which skips type-only imports by design and sees no folder level, where a
// cycle between two modules hides behind acyclic files (config/schema.ts -> cluster/config.ts, cluster/... -> config/).
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const SPECIFIER =
  /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*["'](\.[^"']+)["']|import\(\s*["'](\.[^"']+)["']\s*\)/g;
const SKIP = new Set(["node_modules", "dist", ".git", "build", "vendor"]);

/** `components/<module>`, `cli`, `policies`, `test`, `examples`, or "" for root files. */
function moduleOf(root, file) {
  const parts = path.relative(root, file).split(path.sep);
  if (parts[0] === "components") return parts.length > 2 ? `components/${parts[1]}` : "components";
  return parts.length > 1 ? parts[0] : "";
}

function resolveImport(fromFile, specifier) {
  const base = path.resolve(path.dirname(fromFile), specifier);
  for (const candidate of [base, `${base}.ts`, path.join(base, "index.ts")]) {
    if (candidate.endsWith(".ts") && fs.existsSync(candidate) && fs.statSync(candidate).isFile())
      return candidate;
  }
  return undefined;
}

function* tsFiles(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* tsFiles(full);
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) yield full;
  }
}

/** Every relative import of a file, resolved to files. */
function importsOf(file, text = fs.readFileSync(file, "utf8")) {
  const out = [];
  for (const m of text.matchAll(SPECIFIER)) {
    const target = resolveImport(file, m[1] ?? m[2]);
    if (target !== undefined) out.push(target);
  }
  return out;
}

/**
 * The import graphs of the product and tool trees (tests and examples only import, so they never close a cycle):
 * file -> files, and module -> modules.
 */
function importGraphs(root) {
  const files = new Map();
  const modules = new Map();
  for (const top of ["components", "cli", "policies"]) {
    const dir = path.join(root, top);
    if (!fs.existsSync(dir)) continue;
    for (const file of tsFiles(dir)) {
      const targets = importsOf(file);
      files.set(file, new Set(targets));
      const from = moduleOf(root, file);
      const edges = modules.get(from) ?? new Set();
      for (const target of targets) {
        const to = moduleOf(root, target);
        if (to !== from) edges.add(to);
      }
      modules.set(from, edges);
    }
  }
  return { files, modules };
}

/** Strongly connected components with more than one node (Tarjan), each sorted. */
function cyclesOf(graph) {
  let index = 0;
  const stack = [];
  const state = new Map();
  const cycles = [];
  const visit = (v) => {
    state.set(v, { index, low: index, onStack: true });
    index++;
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!state.has(w)) {
        visit(w);
        state.get(v).low = Math.min(state.get(v).low, state.get(w).low);
      } else if (state.get(w).onStack) state.get(v).low = Math.min(state.get(v).low, state.get(w).index);
    }
    if (state.get(v).low === state.get(v).index) {
      const scc = [];
      let w;
      do {
        w = stack.pop();
        state.get(w).onStack = false;
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) cycles.push(scc.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!state.has(v)) visit(v);
  return cycles;
}

const cache = new Map();
function cyclesFor(root) {
  // One graph per lint run: ESLint calls the rule once per file, the graph is the same for all of them.
  if (!cache.has(root)) {
    const { files, modules } = importGraphs(root);
    cache.set(root, { files: cyclesOf(files), modules: cyclesOf(modules) });
  }
  return cache.get(root);
}

const TOOLS = new Set(["cli", "policies", "test", "examples"]);

const moduleBoundaries = {
  meta: {
    type: "problem",
    docs: {
      description: "Product modules never import the tools, and modules import each other without cycles.",
    },
    schema: [{ type: "object", properties: { root: { type: "string" } }, required: ["root"] }],
    messages: {
      internal:
        "{{specifier}} is internal to {{to}}: import its public API ({{to}}/index.ts) instead, and export what is needed there.",
      tool: "{{from}} is product code and must not import {{to}} ({{specifier}}); move the shared contract into components/.",
      fileCycle:
        "Import cycle between files {{cycle}}: this file imports {{specifier}}, which leads back here; put what both need in one of them or in a third file.",
      moduleCycle:
        "Module cycle {{cycle}}: {{from}} imports {{to}} ({{specifier}}), and {{to}} leads back to {{from}}; move the shared contract into a module both may depend on (often components/core) or narrow the argument type.",
    },
  },
  create(context) {
    const root = context.options[0].root;
    const file = context.filename;
    const from = moduleOf(root, file);
    if (!from.startsWith("components") && from !== "cli" && from !== "policies") return {};
    const check = (node, specifier) => {
      if (typeof specifier !== "string" || !specifier.startsWith(".")) return;
      const target = resolveImport(file, specifier);
      if (target === undefined) return;
      const cycles = cyclesFor(root);
      const fileCycle = cycles.files.find((c) => c.includes(file) && c.includes(target));
      if (fileCycle !== undefined) {
        const cycle = fileCycle.map((f) => path.relative(root, f)).join(" <-> ");
        context.report({ node, messageId: "fileCycle", data: { cycle, specifier } });
      }
      const to = moduleOf(root, target);
      if (to === from) return;
      if (from.startsWith("components") && TOOLS.has(to)) {
        context.report({ node, messageId: "tool", data: { from, to, specifier } });
        return;
      }
      // Another module is reached through its index.ts only: that file is its public API.
      if (to.startsWith("components/") && target !== path.join(root, to, "index.ts")) {
        context.report({ node, messageId: "internal", data: { specifier, to } });
      }
      const moduleCycle = cycles.modules.find((c) => c.includes(from) && c.includes(to));
      if (moduleCycle !== undefined) {
        const cycle = moduleCycle.join(" <-> ");
        context.report({ node, messageId: "moduleCycle", data: { cycle, from, to, specifier } });
      }
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === "Literal" && check(node, node.source.value),
    };
  },
};

module.exports = {
  rules: { "module-boundaries": moduleBoundaries },
  moduleOf,
  importsOf,
  importGraphs,
  cyclesOf,
};
