import type { KubeObject } from "../../components/core/kube-object";
import { rewriteForController } from "../../components/governance/cel/autogen";
import { evaluateObjects, toCel } from "../../components/governance/cel/evaluate";
import { DEFAULT_RULE_EXCEPTIONS, governanceConfig } from "../../components/governance/config";
import { EPHEMERAL_CONTAINERS_SUFFIX, kyvernoObjects } from "../../components/governance/kyverno";
import { KUBERNETES_RULE_NAMES } from "../../components/governance/names";
import { kubernetesRules } from "../../components/governance/rules";
import * as f from "../fixtures/governance/kubernetes";
import { crdValidator, VALIDATING_POLICY_CRD as CRD } from "../fixtures/governance/crd-schema";

const config = governanceConfig();

type Json = Record<string, any>;

function run(objects: KubeObject[], cfg = config) {
  return evaluateObjects(
    [f.defaultDeny(), ...objects].map((object) => ({ region: "eu-west-2", object })),
    cfg,
  );
}

describe("Kubernetes CEL rules offline", () => {
  test("the happy Pod, Deployment, CronJob and EC2NodeClass pass every rule", () => {
    expect(run([f.happyPod(), f.happyDeployment(), f.happyCronJob(), f.happyNodeClass()])).toEqual([]);
  });

  const container = (o: Json) => o.spec.template.spec.containers[0];
  const podSpec = (o: Json) => o.spec.template.spec;
  // A hostPath volume is also a forbidden volume type; the default namespace has no default-deny policy.
  const also: Record<string, string> = {
    "disallow-host-path": "restrict-volume-types",
    "disallow-default-namespace": "require-default-deny-network-policy",
  };
  const cases: [string, (d: Json) => void][] = [
    ["disallow-host-namespaces", (d) => (podSpec(d).hostNetwork = true)],
    ["disallow-privileged-containers", (d) => (container(d).securityContext.privileged = true)],
    ["disallow-privilege-escalation", (d) => delete container(d).securityContext.allowPrivilegeEscalation],
    ["restrict-capabilities", (d) => (container(d).securityContext.capabilities.drop = ["NET_RAW"])],
    ["restrict-capabilities", (d) => (container(d).securityContext.capabilities.add = ["SYS_ADMIN"])],
    ["require-run-as-non-root", (d) => (container(d).securityContext.runAsNonRoot = false)],
    ["require-run-as-non-root", (d) => (container(d).securityContext.runAsUser = 0)],
    ["require-seccomp-profile", (d) => (container(d).securityContext.seccompProfile.type = "Unconfined")],
    ["disallow-host-path", (d) => podSpec(d).volumes.push({ name: "host", hostPath: { path: "/var/run" } })],
    [
      "restrict-volume-types",
      (d) => podSpec(d).volumes.push({ name: "nfs", nfs: { server: "x", path: "/" } }),
    ],
    ["disallow-host-ports", (d) => (container(d).ports[0].hostPort = 8080)],
    ["restrict-proc-mount", (d) => (container(d).securityContext.procMount = "Unmasked")],
    [
      "restrict-sysctls",
      (d) => (podSpec(d).securityContext.sysctls = [{ name: "kernel.msgmax", value: "1" }]),
    ],
    ["restrict-apparmor", (d) => (container(d).securityContext.appArmorProfile = { type: "Unconfined" })],
    ["restrict-selinux", (d) => (podSpec(d).securityContext.seLinuxOptions = { user: "system_u" })],
    ["require-requests-limits", (d) => delete container(d).resources.limits],
    ["require-requests-limits", (d) => delete container(d).resources.requests.cpu],
    ["require-requests-limits", (d) => delete container(d).resources.limits.memory],
    ["require-probes", (d) => delete container(d).readinessProbe],
    ["require-probes", (d) => delete container(d).livenessProbe],
    [
      "require-pinned-images",
      (d) => (container(d).image = "123456789012.dkr.ecr.eu-west-2.amazonaws.com/semester/app"),
    ],
    ["restrict-image-registries", (d) => (container(d).image = "docker.io/library/nginx:1.27.0")],
    ["require-labels", (d) => delete d.spec.template.metadata.labels.team],
    ["require-critical-availability", (d) => (d.spec.replicas = 1)],
    ["require-critical-availability", (d) => delete podSpec(d).topologySpreadConstraints],
    [
      "require-critical-availability",
      (d) => (podSpec(d).topologySpreadConstraints[0].topologyKey = "kubernetes.io/hostname"),
    ],
    ["require-critical-availability", (d) => delete d.spec.replicas],
    [
      "require-critical-availability",
      (d) => {
        delete d.metadata.labels.tier; // critical by its pod template's label alone
        d.spec.replicas = 1;
      },
    ],
    [
      "require-critical-availability",
      (d) => {
        d.spec.template.metadata.labels.tier = "standard"; // critical by its own label alone
        d.spec.replicas = 1;
      },
    ],
    ["disallow-default-namespace", (d) => delete d.metadata.namespace],
    ["require-default-deny-network-policy", (d) => (d.metadata.namespace = "other")],
  ];

  test.each(cases)("%s fails a Deployment with one field changed", (rule, change) => {
    const d = f.clone(f.happyDeployment()) as Json;
    change(d);
    const rules = run([d as KubeObject]).map((x) => x.rule);
    expect(new Set(rules)).toEqual(new Set([rule, ...(also[rule] ? [also[rule]] : [])]));
  });

  test("require-critical-availability leaves workloads of other tiers alone", () => {
    const d = f.clone(f.happyDeployment()) as Json;
    d.metadata.labels.tier = "standard";
    d.spec.template.metadata.labels.tier = "standard";
    d.spec.replicas = 1;
    delete podSpec(d).topologySpreadConstraints;
    expect(run([d as KubeObject])).toEqual([]);
  });

  test("require-probes leaves run-to-completion pods alone: CronJobs and a Job's pods", () => {
    const cron = f.clone(f.happyCronJob()) as Json;
    const cronContainer = cron.spec.jobTemplate.spec.template.spec.containers[0];
    delete cronContainer.readinessProbe;
    delete cronContainer.livenessProbe;
    const jobPod = f.clone(f.happyPod()) as Json;
    jobPod.metadata.name = "rollup-28461";
    jobPod.metadata.labels["batch.kubernetes.io/job-name"] = "rollup-28461";
    delete jobPod.spec.containers[0].readinessProbe;
    delete jobPod.spec.containers[0].livenessProbe;
    expect(run([cron as KubeObject, jobPod as KubeObject])).toEqual([]);
    delete jobPod.metadata.labels["batch.kubernetes.io/job-name"];
    expect(run([jobPod as KubeObject]).map((x) => `${x.rule} ${x.resource}`)).toEqual([
      "require-probes Pod/learning/rollup-28461",
    ]);
  });

  test("require-node-imdsv2 fails an EC2NodeClass with optional tokens or an unencrypted volume", () => {
    const tokens = f.clone(f.happyNodeClass()) as Json;
    tokens.spec.metadataOptions.httpTokens = "optional";
    const volume = f.clone(f.happyNodeClass()) as Json;
    volume.spec.blockDeviceMappings[0].ebs.encrypted = false;
    expect(run([tokens as KubeObject, volume as KubeObject]).map((x) => x.message)).toEqual([
      "EC2NodeClass default: nodes must require IMDSv2 with hop limit 1; set spec.metadataOptions.httpTokens to required and httpPutResponseHopLimit to 1.",
      "EC2NodeClass default: node volumes must be encrypted; set spec.blockDeviceMappings[].ebs.encrypted to true.",
    ]);
  });

  test("deliberately broken objects are caught with a message naming the resource and the fix", () => {
    const privileged = f.clone(f.happyDeployment()) as Json;
    privileged.metadata.name = "privileged";
    container(privileged).securityContext.privileged = true;
    const latest = f.clone(f.happyDeployment()) as Json;
    latest.metadata.name = "latest";
    container(latest).image = "123456789012.dkr.ecr.eu-west-2.amazonaws.com/semester/app:latest";
    const noLimits = f.clone(f.happyCronJob()) as Json;
    delete noLimits.spec.jobTemplate.spec.template.spec.containers[0].resources.limits;
    expect(
      run([privileged, latest, noLimits] as KubeObject[]).map(
        (x) => `${x.rule} ${x.resource} ${x.level}: ${x.message}`,
      ),
    ).toEqual([
      "disallow-privileged-containers Deployment/learning/privileged mandatory: Deployment learning/privileged: container(s) app run privileged; set securityContext.privileged to false.",
      "require-pinned-images Deployment/learning/latest mandatory: Deployment learning/latest: container(s) app use an untagged or :latest image; reference the image by a version tag (repo:1.4.2) or a digest (repo@sha256:...).",
      "require-requests-limits CronJob/learning/analytics-rollup mandatory: CronJob learning/analytics-rollup: container(s) app lack CPU or memory requests or limits; set resources.requests.cpu, resources.requests.memory, resources.limits.cpu and resources.limits.memory.",
    ]);
  });

  test("a bare Pod is checked without rewrite and a digest-pinned image passes", () => {
    const pod = f.clone(f.happyPod()) as Json;
    pod.spec.containers[0].image = `public.ecr.aws/semester/app@sha256:${"a".repeat(64)}`;
    expect(run([pod as KubeObject])).toEqual([]);
    pod.spec.containers[0].securityContext.privileged = true;
    expect(run([pod as KubeObject]).map((x) => x.resource)).toEqual(["Pod/learning/course-catalog"]);
  });

  test("system namespaces are excluded and Audit mode makes findings advisory", () => {
    const d = f.clone(f.happyDeployment()) as Json;
    container(d).securityContext.privileged = true;
    d.metadata.namespace = "kube-system";
    expect(run([d as KubeObject])).toEqual([]);
    d.metadata.namespace = "learning";
    expect(run([d as KubeObject], governanceConfig({ mode: "Audit" })).map((x) => x.level)).toEqual([
      "advisory",
    ]);
  });

  test("JSON integers bind as CEL ints and fractions as doubles", () => {
    expect(toCel({ replicas: 3, ratio: 0.5, list: [1] })).toEqual({ replicas: 3n, ratio: 0.5, list: [1n] });
  });
});

describe("require-default-deny-network-policy, clause by clause", () => {
  // Each case is the default-deny policy with one of the rule's six clauses broken: the namespace then has
  // no default-deny policy, and the rule (only it) must fire for the happy Deployment.
  const broken: [string, (spec: Json) => void][] = [
    ["selects only some pods by label", (s) => (s.podSelector = { matchLabels: { app: "x" } })],
    [
      "selects only some pods by expression",
      (s) => (s.podSelector = { matchExpressions: [{ key: "app", operator: "Exists" }] }),
    ],
    ["denies only ingress", (s) => (s.policyTypes = ["Ingress"])],
    ["denies only egress", (s) => (s.policyTypes = ["Egress"])],
    ["has no policyTypes", (s) => delete s.policyTypes],
    ["allows all ingress", (s) => (s.ingress = [{}])],
    ["allows all egress", (s) => (s.egress = [{}])],
    ["allows egress to one CIDR", (s) => (s.egress = [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }] }])],
  ];

  function findings(policies: KubeObject[]) {
    return evaluateObjects(
      [...policies, f.happyDeployment()].map((object) => ({ region: "eu-west-2", object })),
      config,
    ).map((x) => `${x.rule} ${x.resource}: ${x.message}`);
  }
  const MISSING =
    "require-default-deny-network-policy Deployment/learning/course-catalog: Deployment learning/course-catalog: " +
    "runs in a namespace without a default-deny NetworkPolicy; add a NetworkPolicy with an empty podSelector, " +
    "policyTypes [Ingress, Egress] and no rules to the namespace before the workload.";

  test.each(broken)("a policy that %s is not a default deny", (_, change) => {
    const policy = f.clone(f.defaultDeny()) as Json;
    change(policy.spec);
    expect(findings([policy as KubeObject])).toEqual([MISSING]);
  });

  test("the deny-all policy (empty selector, both types, no rules) satisfies it, also next to allow policies", () => {
    expect(findings([f.defaultDeny()])).toEqual([]);
    const allowEgress = f.clone(f.defaultDeny()) as Json;
    allowEgress.metadata.name = "allow-egress";
    allowEgress.spec.egress = [{}];
    expect(findings([allowEgress as KubeObject, f.defaultDeny()])).toEqual([]);
    // Empty rule lists are no rules, as in the API.
    const emptyLists = f.clone(f.defaultDeny()) as Json;
    emptyLists.spec = { ...emptyLists.spec, podSelector: { matchLabels: {} }, ingress: [], egress: [] };
    expect(findings([emptyLists as KubeObject])).toEqual([]);
  });

  test("a deny-all policy in another namespace does not count", () => {
    expect(findings([f.defaultDeny("other")])).toEqual([MISSING]);
  });
});

describe("Kyverno autogen rewrite", () => {
  test("rewrites spec and metadata to the pod template, keeping only metadata.namespace (as Kyverno 1.19.0)", () => {
    expect(
      rewriteForController(
        "object.spec.containers + [object.metadata.labels, object.metadata.name, object.metadata.namespace, oldObject.spec.x, object.?metadata.?name]",
        "deployments",
      ),
    ).toBe(
      "object.spec.template.spec.containers + [object.spec.template.metadata.labels, object.spec.template.metadata.name, object.metadata.namespace, oldObject.spec.template.spec.x, object.?metadata.?name]",
    );
    expect(
      rewriteForController("object.spec.?volumes.orValue([]) && object.metadata.nameX", "cronjobs"),
    ).toBe(
      "object.spec.jobTemplate.spec.template.spec.?volumes.orValue([]) && object.spec.jobTemplate.spec.template.metadata.nameX",
    );
  });
});

describe("emitted Kyverno ValidatingPolicies", () => {
  const validate = crdValidator(CRD, "v1");
  const objects = kyvernoObjects(config) as Json[];
  const policies = objects.filter((o) => o.kind === "ValidatingPolicy");

  test("one policies.kyverno.io/v1 ValidatingPolicy per rule, each valid against the upstream CRD", () => {
    const main = policies.filter(
      (p) => !p.metadata.name.endsWith(EPHEMERAL_CONTAINERS_SUFFIX) && !p.metadata.name.endsWith("-rollouts"),
    );
    expect(main.map((p) => p.metadata.name)).toEqual([...KUBERNETES_RULE_NAMES]);
    for (const p of policies) expect([p.metadata.name, validate(p)]).toEqual([p.metadata.name, []]);
  });

  test("the CRD check rejects an unknown spec field", () => {
    expect(
      validate({
        apiVersion: "policies.kyverno.io/v1",
        kind: "ValidatingPolicy",
        metadata: { name: "x" },
        spec: { validationActions: ["Deny"], bogus: 1 },
      }),
    ).toEqual(['/spec must NOT have additional properties {"additionalProperty":"bogus"}']);
  });

  test("Deny mode, background scans, autogen for pod controllers and the system-namespace exclusion", () => {
    const p = policies.find((x) => x.metadata.name === "disallow-privileged-containers")!;
    expect(p.spec.validationActions).toEqual(["Deny"]);
    expect(p.spec.evaluation).toEqual({ admission: { enabled: true }, background: { enabled: true } });
    expect(p.spec.autogen).toEqual({
      podControllers: { controllers: ["deployments", "statefulsets", "daemonsets", "jobs", "cronjobs"] },
    });
    expect(p.spec.matchConstraints).toEqual({
      resourceRules: [
        {
          apiGroups: [""],
          apiVersions: ["v1"],
          operations: ["CREATE", "UPDATE"],
          resources: ["pods"],
          scope: "Namespaced",
        },
      ],
    });
    expect(p.spec.matchConstraints.namespaceSelector).toBeUndefined();
    expect(p.spec.matchConditions[0]).toEqual({
      name: "exclude-system-namespaces",
      expression:
        '!(object.metadata.namespace in ["kube-system", "kube-public", "kube-node-lease", "kyverno", "keda", "karpenter", "observability"])',
    });
  });

  test("Audit mode emits Audit and a disabled rule is not emitted", () => {
    const audit = kyvernoObjects(
      governanceConfig({
        mode: "Audit",
        enforcement: { "require-probes": "disabled", "require-labels": "mandatory" },
      }),
    ) as Json[];
    const byName = new Map(
      audit
        .filter((o) => o.kind === "ValidatingPolicy")
        .map((o) => [o.metadata.name, o.spec.validationActions]),
    );
    expect(byName.get("disallow-privileged-containers")).toEqual(["Audit"]);
    expect(byName.get("require-labels")).toEqual(["Deny"]);
    expect(byName.has("require-probes")).toBe(false);
  });

  test("every rule has a kebab-case name, one-sentence description and messages that state the fix", () => {
    for (const rule of kubernetesRules(config)) {
      expect(rule.name).toMatch(/^[a-z]+(-[a-z0-9]+)+$/);
      expect(rule.description).toMatch(/^[A-Z][^]*\.$/);
      for (const v of rule.validations) expect(v.message).toMatch(/; .+\.$/);
    }
  });
});

describe("governance config", () => {
  test("defaults", () => {
    expect(governanceConfig()).toEqual({
      mode: "Deny",
      production: false,
      allowedRegistries: [
        "*.dkr.ecr.*.amazonaws.com",
        "public.ecr.aws",
        "registry.k8s.io",
        "docker.io/istio",
      ],
      requiredTags: ["project", "environment", "team"],
      requiredLabels: ["team", "tier"],
      criticalMinReplicas: 2,
      enforcement: {},
      excludedNamespaces: [
        "kube-system",
        "kube-public",
        "kube-node-lease",
        "kyverno",
        "keda",
        "karpenter",
        "observability",
      ],
      exceptions: DEFAULT_RULE_EXCEPTIONS.map((e) => ({
        ...e,
        podLabels: { ...e.podLabels },
        rules: [...e.rules],
      })),
    });
  });

  test("rejects a misspelt key, an unknown rule name and a wrong mode", () => {
    let issues: unknown;
    try {
      governanceConfig({ mod: "Deny", enforcement: { "no-such-rule": "advisory" }, mode: "Block" } as never);
    } catch (e) {
      issues = (e as { issues: { code: string; path: PropertyKey[] }[] }).issues.map((i) => [i.code, i.path]);
    }
    expect(issues).toEqual([
      ["invalid_value", ["mode"]],
      ["invalid_key", ["enforcement", "no-such-rule"]],
      ["unrecognized_keys", []],
    ]);
  });
});
