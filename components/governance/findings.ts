import type { EnforcementLevel } from "./config";

/** One violation, as the plan reports it in `policy-report.json`. */
export interface Finding {
  /** Rule or policy name (kebab-case). */
  readonly rule: string;
  /** The resource: `Kind/namespace/name` for Kubernetes objects, `type::name` for Pulumi resources, `stack` for the stack. */
  readonly resource: string;
  /** Region of the cluster or provider; null when global. */
  readonly region: string | null;
  /** `mandatory` fails the plan; `advisory` is reported only. */
  readonly level: Exclude<EnforcementLevel, "disabled">;
  /** The requirement, what is wrong with this resource and the fix. */
  readonly message: string;
}

/** Findings in the report's stable order: rule, resource, region, message. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const key = (f: Finding) => [f.rule, f.resource, f.region ?? "", f.message];
  return [...findings].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) {
      if (ka[i]! < kb[i]!) return -1;
      if (ka[i]! > kb[i]!) return 1;
    }
    return 0;
  });
}
