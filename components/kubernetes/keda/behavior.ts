/**
 * The one HPA behavior every Semester ScaledObject gets, and the validation of a behavior against the KEDA 2.20.2
 * CRD (`keda.sh_scaledobjects.yaml`): `periodSeconds` 1..1800, `value` > 0, `stabilizationWindowSeconds` 0..3600,
 * `tolerance` an int-or-string quantity >= 0 (beta, HPAConfigurableTolerance).
 */
import type { Problem } from "../../core";
import type { HpaBehavior, HpaScalingRules } from "./types";

/**
 * Fast up, damped down, for every ScaledObject whether the calendar contributes to it or not.
 *
 * Scale-up may double or add 10 pods every 15 s (whichever is more) with no stabilization, and `tolerance: "0"`
 * asks Kubernetes >= 1.33 to act on any ratio change. Why this one: the calendar's ramp model
 * (`calendar/model/timing.ts`) derives how early a scheduled scale-out must start from these very policies, so the
 * behavior the compiler assumed is the behavior that deploys; +10 pods rather than the Kubernetes default +4 reaches
 * an exam's level in fewer 15 s steps, so leads (and the replica-minutes they cost) stay short. It is also what prod
 * shipped on every ScaledObject before this was the only default, so prod's output does not change. Clusters
 * without the tolerance feature gate drop the field, so the compiler never relies on it: it raises emitted levels
 * past the cluster tolerance (`TimingModel.hpaTolerance`). Scale-down waits 300 s and removes at most 10% of the
 * pods per minute, so a short lull between two windows does not shed capacity the second needs; its
 * `tolerance: "0"` keeps a Rollout's canary pods out of the HPA's arithmetic (see README "Delivery").
 */
export const DEFAULT_BEHAVIOR: Required<HpaBehavior> = {
  scaleUp: {
    stabilizationWindowSeconds: 0,
    selectPolicy: "Max",
    policies: [
      { type: "Percent", value: 100, periodSeconds: 15 },
      { type: "Pods", value: 10, periodSeconds: 15 },
    ],
    tolerance: "0",
  },
  scaleDown: {
    stabilizationWindowSeconds: 300,
    selectPolicy: "Min",
    policies: [{ type: "Percent", value: 10, periodSeconds: 60 }],
    // With the default 10 % band, a metric within the band proposes the *status* replicas, which a Rollout
    // reports as stable + canary pods: the HPA then raises spec.replicas to the inflated count and the canary
    // grows with it (argo-rollouts #4847). With no band below 1 every metric proposes ceil(metric / target),
    // independent of the pods a rollout adds; the window and the 10 %/min policy still damp scale-down.
    tolerance: "0",
  },
};

/**
 * The behavior of a placeholder ScaledObject (calendar pre-provisioning, `kubernetes/placeholder.ts`): straight up
 * and straight down. Up: +1000 pods per 15 s, so one HPA step reaches any level a service's scale-out has and the
 * nodes' launch starts at once. Down: all of them within one 15 s period and no stabilization, so placeholders
 * leave as soon as their trigger ends (the real pods have taken their room by then) and hold no node longer than
 * the schedule says. Both with `tolerance: "0"`; the compiler still raises levels past the cluster's band.
 */
export const PLACEHOLDER_BEHAVIOR: Required<HpaBehavior> = {
  scaleUp: {
    stabilizationWindowSeconds: 0,
    selectPolicy: "Max",
    policies: [{ type: "Pods", value: 1000, periodSeconds: 15 }],
    tolerance: "0",
  },
  scaleDown: {
    stabilizationWindowSeconds: 0,
    selectPolicy: "Max",
    policies: [{ type: "Percent", value: 100, periodSeconds: 15 }],
    tolerance: "0",
  },
};

/**
 * What the HPA does when a behavior leaves `scaleUp` out (the CRD's description of the Kubernetes default): double
 * or +4 pods per 15 s, no stabilization. The ramp model falls back to it.
 */
export const KUBERNETES_DEFAULT_SCALE_UP: HpaScalingRules = {
  stabilizationWindowSeconds: 0,
  selectPolicy: "Max",
  policies: [
    { type: "Percent", value: 100, periodSeconds: 15 },
    { type: "Pods", value: 4, periodSeconds: 15 },
  ],
};

const QUANTITY =
  /^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;

function rulesProblems(path: string, rules: HpaScalingRules | undefined): Problem[] {
  if (rules === undefined) return [];
  const problems: Problem[] = [];
  const w = rules.stabilizationWindowSeconds;
  if (w !== undefined && (!Number.isInteger(w) || w < 0 || w > 3600)) {
    problems.push({
      path: `${path}.stabilizationWindowSeconds`,
      value: w,
      rule: "must be an integer in 0..3600",
    });
  }
  (rules.policies ?? []).forEach((p, i) => {
    if (!Number.isInteger(p.periodSeconds) || p.periodSeconds < 1 || p.periodSeconds > 1800) {
      problems.push({
        path: `${path}.policies[${i}].periodSeconds`,
        value: p.periodSeconds,
        rule: "must be an integer in 1..1800",
      });
    }
    if (!Number.isInteger(p.value) || p.value < 1) {
      problems.push({ path: `${path}.policies[${i}].value`, value: p.value, rule: "must be an integer > 0" });
    }
  });
  const t = rules.tolerance;
  if (t !== undefined && (!QUANTITY.test(t) || t.startsWith("-"))) {
    problems.push({
      path: `${path}.tolerance`,
      value: t,
      rule: 'must be a non-negative quantity such as "0" or "0.05"',
    });
  }
  return problems;
}

/**
 * Problems with a behavior, empty when valid. Besides the CRD's limits, scale-up must be able to add pods
 * (`selectPolicy` not `Disabled`, at least one policy): scheduled scale-out and the ramp model depend on it.
 */
export function behaviorProblems(behavior: HpaBehavior, path = "behavior"): Problem[] {
  const problems = [
    ...rulesProblems(`${path}.scaleUp`, behavior.scaleUp),
    ...rulesProblems(`${path}.scaleDown`, behavior.scaleDown),
  ];
  const up = behavior.scaleUp;
  if (up?.selectPolicy === "Disabled") {
    problems.push({
      path: `${path}.scaleUp.selectPolicy`,
      value: up.selectPolicy,
      rule: 'must be "Max" or "Min": scheduled scale-out needs scale-up enabled',
    });
  }
  if (up !== undefined && (up.policies ?? []).length === 0) {
    problems.push({
      path: `${path}.scaleUp.policies`,
      value: up.policies ?? [],
      rule: "must hold at least one Pods or Percent policy",
    });
  }
  return problems;
}
