import { parseStackConfig } from "../../components/config/load";
import { Platform } from "../../components/platform/platform";
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
  it("refuses a data tier it cannot build before registering any resource", async () => {
    const config = parseStackConfig(
      { ...oneRegion, "semester:data": JSON.stringify({ kafka: { replicator: true } }) },
      "test",
    );
    let error: Error | undefined;
    const resources = await recordResources(() => {
      try {
        new Platform("p", { config, now: Date.parse("2026-10-19T00:00:00Z") });
      } catch (e) {
        error = e as Error;
      }
    });
    expect(error?.message).toMatch(
      /^Platform p: the data tier has 1 problem\(s\):\n {2}- .*semester:data\.kafka\.replicator.*needs at least 2 regions/,
    );
    expect(resources.filter((r) => r.custom)).toEqual([]);
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
