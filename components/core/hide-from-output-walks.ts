/**
 * Makes the given own fields non-enumerable: still readable, but skipped by `Object.keys`.
 *
 * Why: the Pulumi SDK checks every resolved Output value for unknowns by walking it with `Object.keys`. The
 * Kubernetes v1 ConfigGroup's `resources` output holds its child resources, and through their parent links that
 * walk reaches every component above them and everything their fields hold (rendered objects, the compiled
 * calendar, bindings) — again for every Output. Hiding those large fields halves the prod plan (15 s to 7 s here)
 * and speeds up `pulumi up` the same way; nothing in them is an Output the walk needs to see.
 */
export function hideFromOutputWalks<T extends object>(target: T, keys: readonly (keyof T & string)[]): void {
  for (const key of keys) {
    Object.defineProperty(target, key, {
      value: target[key],
      enumerable: false,
      writable: false,
      configurable: false,
    });
  }
}
