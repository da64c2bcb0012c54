import { ApiObject, App, Chart } from "cdk8s";

/**
 * Wraps plain Kubernetes objects (rendered elsewhere, e.g. the governance policies) in a cdk8s chart, so
 * they take the same path to the cluster as the learning services.
 * @internal
 */
export function objectsChart(app: App, id: string, objects: readonly Record<string, unknown>[]): Chart {
  const chart = new Chart(app, id, { disableResourceNameHashes: true });
  objects.forEach((object, i) => {
    const { apiVersion, kind, metadata, ...rest } = object as {
      apiVersion: string;
      kind: string;
      metadata: { name: string; namespace?: string };
    } & Record<string, unknown>;
    new ApiObject(chart, `${kind}-${metadata.name}-${i}`, { apiVersion, kind, metadata, ...rest });
  });
  return chart;
}
