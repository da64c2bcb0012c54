import type { KubeObject } from "../../components/core/kube-object";
/**
 * Four holes in the "restricted" rules, found by replaying the Kyverno community policies' fixtures: a
 * pod-level Unconfined seccomp profile or UID 0 hidden behind compliant containers, ephemeral (debug)
 * containers, and CronJobs whose pod template has no metadata. Each is denied offline with its exact finding.
 */
import { canAutogen, resourceRulesOf } from "../../components/governance/cel/autogen";
import { evaluateObjects, evaluateRuleOutcome } from "../../components/governance/cel/evaluate";
import { type GovernanceConfig, governanceConfig } from "../../components/governance/config";
import { EPHEMERAL_CONTAINERS_SUFFIX, kyvernoObjects } from "../../components/governance/kyverno";
import { kubernetesRules } from "../../components/governance/rules";
import { crdValidator, VALIDATING_POLICY_CRD } from "../fixtures/governance/crd-schema";
import * as f from "../fixtures/governance/kubernetes";

type Json = Record<string, any>;

const config = governanceConfig();

/** `rule: message` of every finding on the objects, in rule order (the namespace's default-deny added). */
function findings(objects: Json[], cfg: GovernanceConfig = config): string[] {
  return evaluateObjects(
    [f.defaultDeny(), ...(objects as KubeObject[])].map((object) => ({ region: "eu-west-2", object })),
    cfg,
  ).map((x) => `${x.rule}: ${x.message}`);
}

const podSpecOf = (o: Json): Json => (o.kind === "Pod" ? o.spec : o.spec.template.spec);
const pod = () => f.clone(f.happyPod()) as Json;
const deployment = () => f.clone(f.happyDeployment()) as Json;
const POD = "Pod learning/course-catalog";
const DEPLOYMENT = "Deployment learning/course-catalog";
const CRONJOB = "CronJob learning/analytics-rollup";

describe("restricted seccomp: Unconfined is forbidden at the pod level too", () => {
  const unconfinedPod = (o: Json) => (podSpecOf(o).securityContext.seccompProfile = { type: "Unconfined" });

  test.each([
    ["Pod", pod, POD],
    ["Deployment", deployment, DEPLOYMENT],
  ])(
    "denies a %s whose pod-level profile is Unconfined although every container sets RuntimeDefault",
    (_, make, who) => {
      const o = make();
      unconfinedPod(o);
      expect(findings([o])).toEqual([
        `require-seccomp-profile: ${who}: sets a pod-level seccomp profile other than RuntimeDefault or Localhost; ` +
          "set spec.securityContext.seccompProfile.type to RuntimeDefault or Localhost, or remove it.",
      ]);
    },
  );

  test("a container inheriting the pod's Unconfined profile is named too", () => {
    const o = pod();
    unconfinedPod(o);
    delete o.spec.containers[0].securityContext.seccompProfile;
    expect(findings([o])).toEqual([
      `require-seccomp-profile: ${POD}: sets a pod-level seccomp profile other than RuntimeDefault or Localhost; ` +
        "set spec.securityContext.seccompProfile.type to RuntimeDefault or Localhost, or remove it.",
      `require-seccomp-profile: ${POD}: container(s) app have no RuntimeDefault or Localhost seccomp profile; ` +
        "set securityContext.seccompProfile.type to RuntimeDefault on the pod or the container.",
    ]);
  });

  test("accepts a pod-level Localhost profile and no pod-level profile when every container sets one", () => {
    const localhost = pod();
    localhost.spec.securityContext.seccompProfile = {
      type: "Localhost",
      localhostProfile: "profiles/app.json",
    };
    const absent = pod();
    delete absent.spec.securityContext.seccompProfile;
    expect(findings([localhost, absent])).toEqual([]);
  });
});

describe("restricted runAsUser: UID 0 is forbidden at the pod level too", () => {
  test.each([
    ["Pod", pod, POD],
    ["Deployment", deployment, DEPLOYMENT],
  ])(
    "denies a %s whose pod-level runAsUser is 0 although every container sets a non-zero UID",
    (_, make, who) => {
      const o = make();
      podSpecOf(o).securityContext.runAsUser = 0;
      expect(findings([o])).toEqual([
        `require-run-as-non-root: ${who}: sets the pod-level runAsUser to UID 0; ` +
          "set spec.securityContext.runAsUser to a non-zero UID or remove it.",
      ]);
    },
  );

  test("accepts a pod without a pod-level runAsUser when its containers set non-zero UIDs", () => {
    const o = pod();
    delete o.spec.securityContext.runAsUser;
    expect(findings([o])).toEqual([]);
  });
});

describe("ephemeral containers are checked like every other container", () => {
  /** A pod (or pod template) with one debug container changed by `change`. */
  const debugged = (make: () => Json, change: (c: Json) => void = () => {}): Json => {
    const o = make();
    const debugger_ = f.happyEphemeralContainer();
    change(debugger_);
    podSpecOf(o).ephemeralContainers = [debugger_];
    return o;
  };
  const privileged = (c: Json) => {
    c.securityContext.privileged = true;
    c.securityContext.allowPrivilegeEscalation = true; // the API server rejects privileged without it
  };

  test("a compliant debug container passes every rule, the resources, ports and probes rules included", () => {
    expect(findings([debugged(pod)])).toEqual([]);
  });

  test.each([
    ["Pod", pod, POD],
    ["Deployment", deployment, DEPLOYMENT],
  ])("denies a privileged debug container in a %s", (_, make, who) => {
    expect(findings([debugged(make, privileged)])).toEqual([
      `disallow-privileged-containers: ${who}: container(s) debugger run privileged; ` +
        "set securityContext.privileged to false.",
      `disallow-privilege-escalation: ${who}: container(s) debugger allow privilege escalation; ` +
        "set securityContext.allowPrivilegeEscalation to false.",
    ]);
  });

  const cases: [string, (c: Json) => void][] = [
    ["disallow-privilege-escalation", (c) => delete c.securityContext.allowPrivilegeEscalation],
    [
      "restrict-capabilities",
      (c) => (c.securityContext.capabilities = { drop: ["ALL"], add: ["SYS_PTRACE"] }),
    ],
    ["require-run-as-non-root", (c) => (c.securityContext.runAsUser = 0)],
    ["require-seccomp-profile", (c) => (c.securityContext.seccompProfile = { type: "Unconfined" })],
    ["restrict-proc-mount", (c) => (c.securityContext.procMount = "Unmasked")],
    ["restrict-apparmor", (c) => (c.securityContext.appArmorProfile = { type: "Unconfined" })],
    ["restrict-selinux", (c) => (c.securityContext.seLinuxOptions = { role: "sysadm_r" })],
    ["require-pinned-images", (c) => (c.image = `${f.IMAGE.split(":")[0]}:latest`)],
    ["restrict-image-registries", (c) => (c.image = "docker.io/library/busybox:1.36")],
  ];

  test.each(cases)("%s names a debug container that breaks it", (rule, change) => {
    const result = findings([debugged(pod, change)]);
    expect(result).toHaveLength(1);
    expect(result[0]).toMatch(new RegExp(`^${rule}: ${POD}: container\\(s\\) debugger `));
  });
});

describe("pod templates without metadata evaluate without error", () => {
  const bareCronJob = (): Json => {
    const o = f.clone(f.happyCronJob()) as Json;
    delete o.spec.jobTemplate.spec.template.metadata;
    return o;
  };
  const bareDeployment = (): Json => {
    const o = deployment();
    delete o.spec.template.metadata;
    return o;
  };
  const cluster = (o: Json) => [o as KubeObject, f.defaultDeny()];
  /** `rule: error` for every rule that failed to evaluate an expression on the object. */
  const errors = (o: Json, cfg: GovernanceConfig) =>
    kubernetesRules(cfg).flatMap((rule) =>
      evaluateRuleOutcome(rule, o as KubeObject, cfg, cluster(o)).errors.map((e) => `${rule.name}: ${e}`),
    );
  const noLabelsRequired = governanceConfig({ requiredLabels: [] });

  test("a compliant CronJob whose pod template has no metadata: no error and no finding under any rule", () => {
    expect(errors(bareCronJob(), noLabelsRequired)).toEqual([]);
    expect(findings([bareCronJob()], noLabelsRequired)).toEqual([]);
  });

  test("with labels required, the same CronJob gets a clean require-labels finding, not an error", () => {
    expect(errors(bareCronJob(), config)).toEqual([]);
    expect(findings([bareCronJob()])).toEqual([
      `require-labels: ${CRONJOB}: pods lack the label(s) team, tier; add them to the pod template's metadata.labels.`,
    ]);
  });

  test("a Deployment whose pod template has no metadata evaluates without error under every rule", () => {
    expect(errors(bareDeployment(), config)).toEqual([]);
    expect(errors(bareDeployment(), noLabelsRequired)).toEqual([]);
  });

  test.each([
    ["Pod", pod, (o: Json) => o.metadata, POD],
    [
      "CronJob",
      () => f.clone(f.happyCronJob()) as Json,
      (o: Json) => o.spec.jobTemplate.spec.template.metadata,
      CRONJOB,
    ],
  ])("restrict-apparmor denies an unconfined AppArmor annotation on a %s", (_, make, podMetadata, who) => {
    const o = make();
    podMetadata(o).annotations = { "container.apparmor.security.beta.kubernetes.io/app": "unconfined" };
    expect(findings([o])).toEqual([
      `restrict-apparmor: ${who}: sets an unconfined AppArmor annotation; ` +
        "remove the container.apparmor.security.beta.kubernetes.io annotation or set it to runtime/default.",
    ]);
  });

  test("restrict-apparmor accepts runtime/default and localhost/ annotations", () => {
    const o = f.clone(f.happyCronJob()) as Json;
    o.spec.jobTemplate.spec.template.metadata.annotations = {
      "container.apparmor.security.beta.kubernetes.io/app": "localhost/k8s-app",
      "container.apparmor.security.beta.kubernetes.io/sidecar": "runtime/default",
      "example.com/other": "unconfined",
    };
    expect(findings([o])).toEqual([]);
  });

  test("violation messages of autogenerated rules name the controller, not the pod template", () => {
    const o = bareDeployment();
    podSpecOf(o).containers[0].securityContext.privileged = true;
    const outcome = evaluateRuleOutcome(
      kubernetesRules(config).find((r) => r.name === "disallow-privileged-containers")!,
      o as KubeObject,
      config,
    );
    expect(outcome).toEqual({
      violations: [
        `${DEPLOYMENT}: container(s) app run privileged; set securityContext.privileged to false.`,
      ],
      errors: [],
    });
  });
});

describe("emitted policies match the pods/ephemeralcontainers subresource", () => {
  const validate = crdValidator(VALIDATING_POLICY_CRD, "v1");
  const objects = kyvernoObjects(config) as Json[];
  const byName = new Map(objects.map((o) => [o.metadata.name as string, o]));
  const CONTAINER_RULES = [
    "disallow-privileged-containers",
    "disallow-privilege-escalation",
    "restrict-capabilities",
    "require-run-as-non-root",
    "require-seccomp-profile",
    "disallow-host-ports",
    "restrict-proc-mount",
    "restrict-apparmor",
    "restrict-selinux",
    "require-pinned-images",
    "restrict-image-registries",
  ];
  const companions = objects.filter((o) => o.metadata.name.endsWith(EPHEMERAL_CONTAINERS_SUFFIX));

  test("every rule that checks containers has a policy on UPDATE of pods/ephemeralcontainers", () => {
    expect(companions.map((o) => o.metadata.annotations["policies.kyverno.io/title"])).toEqual(
      CONTAINER_RULES,
    );
    for (const o of companions) {
      expect([o.metadata.name, o.spec.matchConstraints]).toEqual([
        o.metadata.name,
        {
          resourceRules: [
            {
              apiGroups: [""],
              apiVersions: ["v1"],
              operations: ["UPDATE"],
              resources: ["pods/ephemeralcontainers"],
              scope: "Namespaced",
            },
          ],
        },
      ]);
    }
  });

  test("each runs exactly its rule's CEL and level, admission only, valid against the vendored CRD", () => {
    for (const o of companions) {
      const main = byName.get(o.metadata.annotations["policies.kyverno.io/title"])!;
      const cel = (spec: Json) =>
        ["validationActions", "failurePolicy", "matchConditions", "variables", "validations"].map(
          (k) => spec[k],
        );
      expect([o.metadata.name, cel(o.spec)]).toEqual([o.metadata.name, cel(main.spec)]);
      expect(o.spec.variables).toBeDefined();
      expect(o.spec.autogen).toBeUndefined();
      expect(o.spec.evaluation).toEqual({ admission: { enabled: true }, background: { enabled: false } });
      expect([o.metadata.name, validate(o)]).toEqual([o.metadata.name, []]);
      // Kyverno uses the policy name in report label keys, which take at most 63 characters.
      expect(o.metadata.name.length).toBeLessThanOrEqual(63);
    }
  });

  test("the main policies stay on pods alone, so Kyverno still autogenerates them for pod controllers", () => {
    for (const rule of kubernetesRules(config).filter((r) => r.match.includes("Pod"))) {
      const p = byName.get(rule.name)!;
      expect([rule.name, canAutogen(p.spec.matchConstraints.resourceRules)]).toEqual([rule.name, true]);
      expect(p.spec.autogen).toBeDefined();
    }
  });

  test("Kyverno's CanAutoGen refuses a policy that adds the subresource to the pods rule", () => {
    const [pods] = resourceRulesOf(kubernetesRules(config)[0]!);
    expect(canAutogen([pods!])).toBe(true);
    expect(canAutogen([{ ...pods!, resources: ["pods", "pods/ephemeralcontainers"] }])).toBe(false);
    expect(canAutogen([pods!, { ...pods!, resources: ["pods/ephemeralcontainers"] }])).toBe(false);
  });
});
