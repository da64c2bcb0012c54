import { parseStackConfig } from "../../components/config/load";
import { InputError } from "../../components/core/problem";
import { Platform } from "../../components/platform/platform";
import { definePlatform } from "../../components/program";
import { recordResources } from "../support/record";

const oneRegion = {
  "semester:environment": "dev",
  "semester:homeRegion": "eu-west-2",
  "semester:regions": JSON.stringify([{ region: "eu-west-2", vpcCidr: "10.40.0.0/16" }]),
  "semester:cluster": JSON.stringify({ kubernetesVersion: "1.35" }),
  "semester:calendar": JSON.stringify({
    regionAliases: { "us-east-1": "eu-west-2", "ap-northeast-1": "eu-west-2" },
  }),
};

describe("Platform", () => {
  /** Runs the program as `index.ts` does (config, then platform) under mocks; what it threw and registered. */
  async function program(raw: Record<string, string>) {
    let error: unknown;
    const resources = await recordResources(() => {
      try {
        const config = parseStackConfig(raw, "stacks/Pulumi.test.yaml");
        definePlatform(config, { name: "p", now: Date.parse("2026-10-19T00:00:00Z") });
      } catch (e) {
        error = e;
      }
    });
    return { error, custom: resources.filter((r) => r.custom) };
  }

  it.each([
    [
      "a replicator in one region",
      { "semester:data": JSON.stringify({ kafka: { replicator: true } }) },
      "  - `semester:data.kafka.replicator`: got true; needs at least 2 regions",
    ],
    [
      "a Kafka-scaled service without a data binding",
      { "semester:services": JSON.stringify({ enrollment: { dataAccess: "none" } }) },
      '  - `semester:services.enrollment.dataAccess`: got "none"; its Kafka lag trigger (`scaling.kafka`) reads the MSK brokers from the data binding\'s `KAFKA_BOOTSTRAP_SERVERS`, which `none` does not get; fix: set it to `write` or `read`, or scale the service on cpu, memory or prometheus',
    ],
    [
      "a fallback next to a CPU trigger",
      { "semester:services": JSON.stringify({ "ai-tutor": { scaling: { fallbackReplicas: 2 } } }) },
      "  - `semester:services.ai-tutor.scaling.fallbackReplicas`: got 2; KEDA allows no fallback on a ScaledObject with cpu triggers; fix: set scaling.cpuUtilization and scaling.memoryUtilization to null, or remove fallbackReplicas",
    ],
  ])("refuses %s in the stack's one InputError, before registering any resource", async (_, keys, line) => {
    const { error, custom } = await program({ ...oneRegion, ...keys });
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(`Invalid input in stacks/Pulumi.test.yaml (1 problem):\n${line}`);
    expect(custom).toEqual([]);
  });

  it("would leave a half-built platform if the stack rule were left to the component (why the rules are in config/)", async () => {
    // The same rule, bypassing the loader: DataTier refuses it, but only after the clusters exist.
    const config = parseStackConfig(oneRegion, "stacks/Pulumi.test.yaml");
    const bypassed = {
      ...config,
      data: { ...config.data, kafka: { ...config.data.kafka, replicator: true } },
    };
    let error: unknown;
    const resources = await recordResources(() => {
      try {
        definePlatform(bypassed, { name: "p", now: Date.parse("2026-10-19T00:00:00Z") });
      } catch (e) {
        error = e;
      }
    });
    expect((error as Error).message).toBe(
      "Invalid input in DataTier p-data (1 problem):\n  - `config.kafka.replicator`: got true; needs at least 2 regions",
    );
    expect(resources.filter((r) => r.type === "aws:eks/cluster:Cluster").length).toBe(1);
  });

  it("refuses a calendar with a region the stack does not serve before registering any resource", async () => {
    const config = parseStackConfig({ ...oneRegion, "semester:calendar": "{}" }, "test");
    let error: Error | undefined;
    const resources = await recordResources(() => {
      try {
        new Platform("p", { config, now: Date.parse("2026-10-19T00:00:00Z") });
      } catch (e) {
        error = e as Error;
      }
    });
    expect(error?.message).toContain('X-SEMESTER-REGION`: got "ap-northeast-1"; must be one of eu-west-2\n');
    expect(resources.filter((r) => r.custom)).toEqual([]);
  });
});
