import {
  changeFreezeFindings,
  changeFreezeOptionsFromEnv,
  ROLLOUT_TYPE,
} from "../../policies/rules/change-freeze";
import type { FreezeWindow } from "../../components/governance";
import { changeFreezeConfigMap } from "../../components/platform/change-freeze";

const PROVIDER = { urn: "urn:pulumi:prod::semester::pulumi:providers:kubernetes::eu-west-2" };
const URN =
  "urn:pulumi:prod::semester::kubernetes:argoproj.io/v1alpha1:Rollout::eu-west-2-learning/enrollment";
const window: FreezeWindow = {
  region: "eu-west-2",
  service: "enrollment",
  namespace: "learning",
  start: "2026-12-07T08:30:00.000Z",
  end: "2026-12-07T11:00:00.000Z",
  occurrences: ["exam@example.edu@2026-12-07T09:00:00.000Z"],
};

/** A Rollout's inputs with one image (and replicas). */
const rollout = (image: string, replicas = 3, extra: Record<string, unknown> = {}) => ({
  apiVersion: "argoproj.io/v1alpha1",
  kind: "Rollout",
  metadata: { name: "enrollment", namespace: "learning" },
  spec: { replicas, template: { spec: { containers: [{ name: "enrollment", image }] } }, ...extra },
});
const freezeMap = (windows: FreezeWindow[]) => ({
  urn: "urn:pulumi:prod::semester::kubernetes:core/v1:ConfigMap::eu-west-2-kube-system/semester-change-freeze",
  type: "kubernetes:core/v1:ConfigMap",
  props: changeFreezeConfigMap(windows) as unknown as Record<string, unknown>,
  provider: PROVIDER,
});
const proposed = (image: string, replicas = 3) => [
  freezeMap([window]),
  { urn: URN, type: ROLLOUT_TYPE, props: rollout(image, replicas), provider: PROVIDER },
];
/** A fake `pulumi stack export` holding the previous Rollout. */
const exportWith = (image: string) => ({
  version: 3,
  deployment: { resources: [{ urn: URN, type: ROLLOUT_TYPE, inputs: rollout(image) }] },
});

const IN_WINDOW = Date.parse("2026-12-07T09:30:00Z");
const OUTSIDE = Date.parse("2026-12-07T12:00:00Z");

describe("the change freeze", () => {
  it("refuses an image change of a critical Rollout during its window, naming service, window and the override", () => {
    expect(
      changeFreezeFindings(proposed("r/enrollment:1.9.4"), {
        previousState: exportWith("r/enrollment:1.9.3"),
        now: IN_WINDOW,
      }),
    ).toEqual([
      {
        urn: URN,
        level: "mandatory",
        message:
          "Rollout learning/enrollment: image r/enrollment:1.9.3 → r/enrollment:1.9.4 during its calendar window " +
          "eu-west-2 2026-12-07T08:30:00.000Z–2026-12-07T11:00:00.000Z (exam@example.edu@2026-12-07T09:00:00.000Z); " +
          `deploy after 2026-12-07T11:00:00.000Z, or override with SEMESTER_FREEZE_OVERRIDE='{"reason":"<why>","by":"<who>"}'`,
      },
    ]);
  });

  it("refuses any other change of the Rollout spec in the window, but not KEDA's replicas", () => {
    const spec = proposed("r/enrollment:1.9.3");
    (spec[1]!.props.spec as Record<string, unknown>).minReadySeconds = 30;
    expect(
      changeFreezeFindings(spec, { previousState: exportWith("r/enrollment:1.9.3"), now: IN_WINDOW })[0]!
        .message,
    ).toMatch(/^Rollout learning\/enrollment: Rollout spec changed during its calendar window/);
    expect(
      changeFreezeFindings(proposed("r/enrollment:1.9.3", 12), {
        previousState: exportWith("r/enrollment:1.9.3"),
        now: IN_WINDOW,
      }),
    ).toEqual([]);
  });

  it("allows the same change outside the window", () => {
    expect(
      changeFreezeFindings(proposed("r/enrollment:1.9.4"), {
        previousState: exportWith("r/enrollment:1.9.3"),
        now: OUTSIDE,
      }),
    ).toEqual([]);
  });

  it("turns it into an advisory with an explicit override", () => {
    const [f] = changeFreezeFindings(proposed("r/enrollment:1.9.4"), {
      previousState: exportWith("r/enrollment:1.9.3"),
      now: IN_WINDOW,
      override: { reason: "hotfix INC-42", by: "alice" },
    });
    expect(f!.level).toBe("advisory");
    expect(f!.message).toMatch(/allowed by override from alice: hotfix INC-42$/);
  });

  it("allows an update that changes nothing in the window", () => {
    expect(
      changeFreezeFindings(proposed("r/enrollment:1.9.3"), {
        previousState: exportWith("r/enrollment:1.9.3"),
        now: IN_WINDOW,
      }),
    ).toEqual([]);
  });

  it("refuses to guess in a window without the previous state", () => {
    expect(changeFreezeFindings(proposed("r/enrollment:1.9.3"), { now: IN_WINDOW })[0]!.message).toMatch(
      /cannot be compared \(no previous state: set SEMESTER_PREVIOUS_STATE/,
    );
  });

  it("reads its options from the environment and refuses a half-given override", () => {
    expect(changeFreezeOptionsFromEnv({ SEMESTER_NOW: "2026-12-07T09:30:00Z" })).toEqual({ now: IN_WINDOW });
    expect(() => changeFreezeOptionsFromEnv({ SEMESTER_FREEZE_OVERRIDE: '{"reason":"x"}' })).toThrow(
      'SEMESTER_FREEZE_OVERRIDE: expected {"reason": "<why>", "by": "<who>"}, both non-empty',
    );
  });
});
