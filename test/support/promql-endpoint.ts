/** A region's PromQL endpoint as the platform hands it to the Kubernetes layer (AMP, SigV4), for tests. */
import type { PromqlTarget, RegionWorkloadsArgs } from "../../components/kubernetes";

export const testPromqlUrl = (region: string) =>
  `https://aps-workspaces.${region}.amazonaws.com/workspaces/ws-${region}`;

/** What `LearningChart` takes. */
export const testPromqlTarget = (region: string): PromqlTarget => ({
  serverAddress: testPromqlUrl(region),
  sigv4Region: region,
});

/** What `RegionWorkloads` takes; the query policy's content is tested with the metrics part. */
export const testPromql = (region: string): NonNullable<RegionWorkloadsArgs["promql"]> => ({
  queryUrl: testPromqlUrl(region),
  sigv4Region: region,
  queryPolicy: '{"aps":"query"}',
});
