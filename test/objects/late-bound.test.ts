import * as pulumi from "@pulumi/pulumi";
import { bindLateValues, hasLateBoundTokens, lateBoundToken } from "../../components/objects";
import type { KubeObject } from "../../components/core";

const resolve = <T>(o: pulumi.Output<T>) =>
  new Promise<T>((done) => {
    o.apply((v) => {
      done(v);
      return v;
    });
  });

const trigger = (serverAddress: string): KubeObject => ({
  apiVersion: "keda.sh/v1alpha1",
  kind: "ScaledObject",
  metadata: { name: "catalog", namespace: "learning" },
  spec: { triggers: [{ type: "prometheus", metadata: { serverAddress, threshold: "50" } }] },
});

describe("late-bound object values", () => {
  it("replaces a token inside a string with the value, leaving everything else plain", async () => {
    const url = pulumi.output("https://aps-workspaces.eu-west-2.amazonaws.com/workspaces/ws-1");
    const [bound] = bindLateValues([trigger(`${lateBoundToken("promql-url")}/`)], { "promql-url": url });
    const meta = (bound!.spec as any).triggers[0].metadata;
    expect(meta.threshold).toBe("50");
    expect(pulumi.Output.isInstance(meta.serverAddress)).toBe(true);
    expect(await resolve(meta.serverAddress)).toBe(
      "https://aps-workspaces.eu-west-2.amazonaws.com/workspaces/ws-1/",
    );
    expect(bound!.metadata).toEqual({ name: "catalog", namespace: "learning" });
  });

  it("refuses a token nobody provides, naming the object and field, so no placeholder reaches a cluster", () => {
    expect(() => bindLateValues([trigger(lateBoundToken("promql-url"))], {})).toThrow(
      "Invalid input in late-bound object values (1 problem):\n" +
        '  - `ScaledObject learning/catalog.spec.triggers[0].metadata.serverAddress`: got "promql-url"; names a late-bound value nobody provides',
    );
  });

  it("tells rendered objects with tokens from plain ones", () => {
    expect(hasLateBoundTokens([trigger(lateBoundToken("x"))])).toBe(true);
    expect(hasLateBoundTokens([trigger("http://prometheus:9090")])).toBe(false);
  });
});
