/**
 * A model of what the Pulumi engine does with a resource's `ignoreChanges` on an update, for tests that must
 * reason about a second `pulumi up` (mocks keep no state between runs and never see resource options).
 *
 * What it follows:
 * - Pulumi docs, "Resource option: ignoreChanges" (https://www.pulumi.com/docs/iac/concepts/options/ignorechanges/):
 *   an ignored property takes "the old value from the state instead of the value provided by the Pulumi program";
 *   with no previous state (the create) the program's value is used; the state holds the live value only after
 *   `pulumi refresh` (or `pulumi up --refresh`).
 * - pulumi/pulumi `pkg/resource/deploy/step_generator.go`, `processIgnoreChanges(inputs, oldInputs, ignoreChanges)`:
 *   for each path, copies the new inputs and calls `PropertyPath.Reset(oldInputs, ignoredInputs)`, and fails the
 *   update with "cannot ignore changes to the following properties because one or more elements of the path are
 *   missing" when a reset fails.
 * - pulumi/pulumi `sdk/go/common/resource/properties_path.go`, `PropertyPath.reset`, for key paths: at the last
 *   key the new value becomes the old one, or is deleted when the old inputs lack it; above it both sides must be
 *   objects (or both not), and a key the old inputs have but the new ones lack is a path error.
 * Not modelled: array indices, `*` wildcards, quoted keys, secrets (the model refuses such paths), and what a
 * provider does on its own (pulumi-kubernetes with server-side apply also drops an ignored field from its patch
 * when another field manager owns it, pulumi/pulumi-kubernetes#2566).
 */
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);
const copy = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

function reset(keys: readonly string[], old: unknown, next: unknown): boolean {
  const [key, ...rest] = keys as [string, ...string[]];
  if (rest.length === 0) {
    if (isObject(old) && key in old) {
      if (!isObject(next)) return false;
      next[key] = copy(old[key]);
    } else if (isObject(next)) {
      delete next[key];
    }
    return true;
  }
  if (!isObject(old) || !isObject(next)) return !isObject(old) && !isObject(next);
  if (key in old && !(key in next)) return false;
  if (!(key in old) && !(key in next)) return true;
  return reset(rest, old[key], next[key]);
}

/**
 * The inputs the engine diffs and sends to the provider: the program's `inputs` with every `ignoreChanges` path
 * taken from `oldInputs` (the state's inputs). With no state (`oldInputs` undefined) the program's inputs as given.
 */
export function effectiveInputs(
  inputs: Json,
  oldInputs: Json | undefined,
  ignoreChanges: readonly string[],
): Json {
  const next = copy(inputs);
  if (oldInputs === undefined) return next;
  const invalid: string[] = [];
  for (const path of ignoreChanges) {
    if (!/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/.test(path)) {
      throw new Error(`the ignoreChanges model takes key paths only (a.b.c), not ${JSON.stringify(path)}`);
    }
    if (!reset(path.split("."), oldInputs, next)) invalid.push(path);
  }
  if (invalid.length > 0) {
    throw new Error(
      `cannot ignore changes to the following properties because one or more elements of the path are missing: ${JSON.stringify(invalid.join(", "))}`,
    );
  }
  return next;
}
