/**
 * Command-line options read the way `util.parseArgs` reads them, except that every flag its strict mode would
 * refuse becomes a `Problem` (path: the flag) instead of an exception at the first one, so a CLI can report all
 * bad flags of a command line, its own checks included, in one `InputError`.
 */
import { parseArgs } from "node:util";
import type { Problem } from "../components/core";

/** An option as `parseArgs` declares it. */
export interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly short?: string;
  /** A string option that may be given several times; its values are in `lists`. @default false */
  readonly multiple?: boolean;
}

export interface ReadOptions<K extends string> {
  /** The last value given for each option (booleans: `true`). */
  readonly values: Partial<Record<K, string | boolean>>;
  /** Every value given for each `multiple` option, in order. */
  readonly lists: Partial<Record<K, string[]>>;
  /** Unknown options, string options without a value, boolean options with one, positional arguments. */
  readonly problems: Problem[];
}

export function readOptions<K extends string>(
  argv: readonly string[],
  options: Readonly<Record<K, OptionSpec>>,
): ReadOptions<K> {
  const { tokens } = parseArgs({
    args: [...argv],
    options: options as Record<string, OptionSpec>,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const known = Object.keys(options).map((name) => `--${name}`);
  const values: Partial<Record<K, string | boolean>> = {};
  const lists: Partial<Record<K, string[]>> = {};
  const problems: Problem[] = [];
  for (const token of tokens) {
    if (token.kind === "positional") {
      problems.push({
        path: "(arguments)",
        value: token.value,
        rule: "takes no positional arguments; every input is a --flag",
      });
      continue;
    }
    if (token.kind !== "option") continue;
    const spec = (options as Record<string, OptionSpec | undefined>)[token.name];
    if (spec === undefined) {
      problems.push({
        path: token.rawName,
        value: token.value ?? true,
        rule: `is not an option; the options are ${known.join(", ")}`,
      });
    } else if (spec.type === "boolean" && token.value !== undefined) {
      problems.push({ path: token.rawName, value: token.value, rule: "is a switch and takes no value" });
    } else if (
      spec.type === "string" &&
      (token.value === undefined || (!token.inlineValue && token.value.startsWith("-")))
    ) {
      // Like strict mode: `--days --out x` is a missing value, not the value "--out".
      problems.push({
        path: token.rawName,
        value: undefined,
        rule: `needs a value: --${token.name} <value>`,
      });
    } else if (spec.multiple === true) {
      (lists[token.name as K] ??= []).push(token.value as string);
    } else {
      values[token.name as K] = spec.type === "boolean" ? true : (token.value as string);
    }
  }
  return { values, lists, problems };
}
