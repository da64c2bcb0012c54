/**
 * The change freeze's windows, published for the CrossGuard policy (policies/rules/change-freeze.ts): per region,
 * each critical service's calendar spans (`busyIntervals` of that service alone: its windows with their lead and
 * tail), as the ConfigMap `kube-system/semester-change-freeze`. Pure and deterministic: the spans follow the
 * compiled calendar's horizon, never the clock.
 */
import { busyIntervals, type CalendarSchedule } from "../calendar";
import type { KubeObject } from "../core";
import { CHANGE_FREEZE_CONFIG_MAP, type FreezeWindow } from "../governance";
import { SERVICE_NAMES, type ServicesConfig } from "../kubernetes";

/** The critical services' spans in `region`, by start then service. */
export function changeFreezeWindows(
  schedule: CalendarSchedule,
  services: ServicesConfig,
  region: string,
): FreezeWindow[] {
  return SERVICE_NAMES.filter((s) => services[s].tier === "critical")
    .flatMap((service) =>
      busyIntervals(schedule, { services: [service] })
        .filter((b) => b.region === region)
        .map((b) => ({
          region,
          service,
          namespace: services[service].namespace,
          start: new Date(b.start).toISOString(),
          end: new Date(b.end).toISOString(),
          occurrences: [...b.occurrences],
        })),
    )
    .sort((a, b) => a.start.localeCompare(b.start) || a.service.localeCompare(b.service));
}

/** The ConfigMap the policy reads. */
export function changeFreezeConfigMap(windows: readonly FreezeWindow[]): KubeObject {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: CHANGE_FREEZE_CONFIG_MAP.name,
      namespace: CHANGE_FREEZE_CONFIG_MAP.namespace,
      labels: { "app.kubernetes.io/part-of": "semester", "app.kubernetes.io/managed-by": "semester" },
    },
    data: { [CHANGE_FREEZE_CONFIG_MAP.key]: JSON.stringify(windows) },
  };
}
