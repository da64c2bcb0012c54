import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { InputError } from "../core";

/** The stack file Pulumi reads config from (Pulumi.yaml sets `stackConfigDir: stacks`). */
export function stackFile(stack: string): string {
  return `stacks/Pulumi.${stack}.yaml`;
}

/**
 * Reads a stack file the way Pulumi hands config to the program: `config:` values as strings, structured ones
 * JSON-encoded. Throws an InputError naming the known stacks when the file does not exist, located where the
 * stack name came from (`named`). @default named: the command line's `--stack`
 */
export function readStackConfig(
  root: string,
  stack: string,
  named: { readonly source: string; readonly path: string } = { source: "the command line", path: "--stack" },
): Record<string, string> {
  const file = path.join(root, stackFile(stack));
  if (!fs.existsSync(file)) {
    const dir = path.join(root, "stacks");
    const stacks = fs.existsSync(dir)
      ? fs.readdirSync(dir).flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? [])
      : [];
    throw new InputError(named.source, [
      {
        path: named.path,
        value: stack,
        rule: `must name a stack file: ${stackFile(stack)} does not exist`,
        fix: stacks.length > 0 ? `use one of ${stacks.join(", ")}` : "create the stack file",
      },
    ]);
  }
  const document = (parseYaml(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  return Object.fromEntries(
    Object.entries(document.config ?? {}).map(([key, value]) => [
      key,
      typeof value === "string" ? value : JSON.stringify(value),
    ]),
  );
}
