import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type * as RunModule from "../../cli/plan/run";
import type * as WriteModule from "../../cli/plan/write";

/** Each run gets fresh module state, as two separate `npm run plan` processes would. */
async function planInIsolation(stack: string, root?: string): Promise<Map<string, string>> {
  let files: Map<string, string> | undefined;
  let failure: unknown;
  let done!: Promise<void>;
  jest.isolateModules(() => {
    const run = require("../../cli/plan/run") as typeof RunModule;
    const write = require("../../cli/plan/write") as typeof WriteModule;
    done = run.runPlan({ stack, ...(root ? { root } : {}) }).then(
      (plan) => void (files = write.planFiles(plan)),
      (error: unknown) => void (failure = error),
    );
  });
  await done;
  if (failure) throw failure;
  return files!;
}

describe("offline plan", () => {
  it("is byte-identical across two runs of the prod stack, with three regional clusters", async () => {
    const first = await planInIsolation("prod");
    const second = await planInIsolation("prod");
    expect([...second.keys()]).toEqual([...first.keys()]);
    for (const [file, content] of first) expect(second.get(file)).toBe(content);
    const resources = JSON.parse(first.get("resources.json")!) as {
      type: string;
      region: string;
      inputs: Record<string, unknown>;
    }[];
    const clusters = resources.filter((r) => r.type === "aws:eks/cluster:Cluster");
    expect(clusters.map((c) => [c.region, c.inputs.name])).toEqual([
      ["ap-northeast-1", "semester-prod-ap-northeast-1"],
      ["eu-west-2", "semester-prod-eu-west-2"],
      ["us-east-1", "semester-prod-us-east-1"],
    ]);
    expect([...first.keys()].filter((f) => f.startsWith("k8s"))).toEqual([
      "k8s/us-east-1.yaml",
      "k8s/eu-west-2.yaml",
      "k8s/ap-northeast-1.yaml",
    ]);
  });

  it("never writes a secret into the plan files", async () => {
    const files = await planInIsolation("dev");
    expect(files.get("resources.json")).toContain('"kubeconfig": "[secret]"');
    expect(files.get("resources.json")).not.toContain("certificate-authority-data");
  });

  it("stops on an invalid stack file with every problem and registers nothing", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "semester-plan-"));
    fs.mkdirSync(path.join(root, "stacks"));
    fs.writeFileSync(
      path.join(root, "stacks", "Pulumi.broken.yaml"),
      [
        "config:",
        "  semester:environment: prod",
        "  semester:homeRegion: us-east-1",
        "  semester:regions:",
        "    - region: us-east-1",
        "      vpcCidr: 10.0.0.0/16",
        "    - region: eu-west-9",
        "      vpcCidr: 10.1.0.0/16",
        "  semester:cluster:",
        '    kubernetesVersion: "1.35"',
        "",
      ].join("\n"),
    );
    await expect(planInIsolation("broken", root)).rejects.toThrow(
      /^Invalid configuration in stacks\/Pulumi\.broken\.yaml \(1 problem\):\n {2}- `semester:regions\[1\]\.region`: got "eu-west-9"; expected an AWS region, one of: /,
    );
  });

  it("names the known stacks when asked for one that does not exist", async () => {
    await expect(planInIsolation("nope")).rejects.toThrow(
      "no stack file stacks/Pulumi.nope.yaml; stacks here: dev, prod, staging",
    );
  });
});
