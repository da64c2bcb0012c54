/**
 * The built-in GameDays: what can fail in a region (a pod, a node, a dependency's latency, a zone's power; on the
 * Chaos Mesh side a route's errors and a clock), each with the hypothesis it tests and the SLO it must hold. A stack
 * overrides any field (`semester:gameDays.experiments.<name>.…`) or turns one off with `enabled: false`.
 */
import type { ExperimentInput } from "./config";

export const DEFAULT_EXPERIMENTS_INPUT: Readonly<Record<string, ExperimentInput>> = {
  "catalog-pod-delete": {
    hypothesis:
      "Deleting a third of course-catalog's pods keeps it available: the rest serve while the ReplicaSet replaces them.",
    slo: { service: "course-catalog", objective: "availability" },
    fault: { kind: "pod-delete" },
    target: { service: "course-catalog", percent: 33 },
    durationMinutes: 10,
  },
  "node-termination": {
    hypothesis:
      "Terminating a fifth of the Karpenter nodes keeps enrollment available: pods reschedule on the others and Karpenter replaces the nodes.",
    slo: { service: "enrollment", objective: "availability" },
    fault: { kind: "node-termination" },
    target: { service: "enrollment", percent: 20 },
    durationMinutes: 15,
  },
  "assessment-profile-latency": {
    hypothesis:
      "200 ms more latency from assessment-engine to learner-profile keeps assessment-engine within its latency objective (timeouts and caching absorb it).",
    slo: { service: "assessment-engine", objective: "latency" },
    fault: { kind: "network-latency", to: "learner-profile", delayMs: 200, jitterMs: 50 },
    target: { service: "assessment-engine", percent: 50 },
    durationMinutes: 10,
  },
  "az-power-interruption": {
    hypothesis:
      "Losing the power of one zone keeps assessment-engine available: the other zones' pods serve, Aurora and Redis fail over, Karpenter launches elsewhere.",
    slo: { service: "assessment-engine", objective: "availability" },
    fault: { kind: "az-power-interruption", zone: 0 },
    target: { service: "assessment-engine", percent: 100 },
    durationMinutes: 30,
  },
  "profile-route-abort": {
    hypothesis:
      "Aborting a tenth of learner-profile's requests keeps enrollment available: its callers retry or degrade.",
    slo: { service: "enrollment", objective: "availability" },
    fault: { kind: "http-abort", path: "/*" },
    target: { service: "learner-profile", percent: 10 },
    durationMinutes: 10,
  },
  "enrollment-clock-skew": {
    hypothesis:
      "A clock 90 s ahead on a fifth of enrollment's pods keeps enrollment available: nothing depends on pods' clocks agreeing.",
    slo: { service: "enrollment", objective: "availability" },
    fault: { kind: "time-skew", offsetSeconds: 90 },
    target: { service: "enrollment", percent: 20 },
    durationMinutes: 10,
  },
};
