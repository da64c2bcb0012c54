import { Chart, Testing } from "cdk8s";
import {
  DEFAULT_SERVICES,
  DEFAULT_SERVICES_INPUT,
  SERVICE_NAMES,
  ServicesConfig,
  servicesSchema,
} from "../../components/kubernetes/config";
import { requiredDataConfigMaps } from "../../components/kubernetes/data-access";
import { LearningChart, LearningChartProps } from "../../components/kubernetes/learning-chart";
import { DEFAULT_BEHAVIOR, type KedaCronTrigger } from "../../components/kubernetes/keda";
import { LearningService } from "../../components/kubernetes/learning-service";
import { problemsFromZod } from "../../components/core/problem";
import { testPromqlTarget } from "../support/promql-endpoint";

type Obj = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
} & Record<string, any>;

function synth(over: Partial<LearningChartProps> = {}): Obj[] {
  const chart = new LearningChart(Testing.app(), "eu", {
    region: "eu-west-2",
    environment: "prod",
    services: DEFAULT_SERVICES,
    kafkaBootstrapServers: "b-1.msk.example:9098,b-2.msk.example:9098",
    promql: testPromqlTarget("eu-west-2"),
    ...over,
  });
  return Testing.synth(chart) as Obj[];
}
const find = (objs: Obj[], kind: string, name: string) => {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  if (o === undefined) throw new Error(`no ${kind} ${name}`);
  return o;
};
const withService = (name: keyof ServicesConfig, patch: object): ServicesConfig =>
  servicesSchema.parse({ ...DEFAULT_SERVICES, [name]: { ...DEFAULT_SERVICES[name], ...patch } });

describe("LearningChart HA defaults", () => {
  const objs = synth();

  it("emits every service with a Deployment, Service, ServiceAccount, PDB, NetworkPolicy and exactly one ScaledObject", () => {
    for (const name of Object.keys(DEFAULT_SERVICES)) {
      for (const kind of ["Deployment", "Service", "ServiceAccount", "PodDisruptionBudget"])
        find(objs, kind, name);
      find(objs, "NetworkPolicy", `${name}-allow`);
      expect(
        objs.filter((o) => o.kind === "ScaledObject" && o.spec.scaleTargetRef.name === name),
      ).toHaveLength(1);
    }
  });

  it("gives every object an explicit name, and every namespaced object a namespace", () => {
    const clusterScoped = new Set(["Namespace", "PriorityClass"]);
    for (const o of objs) {
      expect(o.metadata.name).toMatch(/^[a-z0-9-]+$/);
      if (!clusterScoped.has(o.kind)) expect(o.metadata.namespace).toBeDefined();
    }
  });

  it("runs critical services with at least 3 replicas spread across zones (DoNotSchedule) and nodes", () => {
    const d = find(objs, "Deployment", "course-catalog");
    expect(d.spec.replicas).toBe(3);
    expect(
      d.spec.template.spec.topologySpreadConstraints.map((c: any) => [c.topologyKey, c.whenUnsatisfiable]),
    ).toEqual([
      ["topology.kubernetes.io/zone", "DoNotSchedule"],
      ["kubernetes.io/hostname", "ScheduleAnyway"],
    ]);
    expect(d.spec.template.spec.priorityClassName).toBe("semester-critical");
  });

  it("raises a critical service's minReplicas to the tier floor of 3", () => {
    const d = find(
      synth({ services: withService("enrollment", { minReplicas: 1 }) }),
      "Deployment",
      "enrollment",
    );
    expect(d.spec.replicas).toBe(3);
  });

  it("sets the whole container explicitly: nothing cdk8s-plus adds by itself leaks", () => {
    const spec = find(objs, "Deployment", "assessment-engine").spec.template.spec;
    expect(Object.keys(spec).sort()).toEqual([
      "automountServiceAccountToken",
      "containers",
      "dnsPolicy",
      "enableServiceLinks",
      "hostNetwork",
      "priorityClassName",
      "restartPolicy",
      "securityContext",
      "serviceAccountName",
      "setHostnameAsFQDN",
      "terminationGracePeriodSeconds",
      "topologySpreadConstraints",
      "volumes",
    ]);
    const c = spec.containers[0];
    expect(c.image).toBe("public.ecr.aws/semester/assessment-engine:2.1.0");
    expect(c.imagePullPolicy).toBe("IfNotPresent");
    expect(c.resources).toEqual({
      requests: { cpu: "500m", memory: "1Gi" },
      limits: { cpu: "2", memory: "2Gi" },
    });
    expect(c.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsGroup: 10001,
      runAsNonRoot: true,
      runAsUser: 10001,
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(spec.securityContext.seccompProfile).toEqual({ type: "RuntimeDefault" });
    expect(c.readinessProbe.httpGet).toEqual({ path: "/healthz/ready", port: 8080, scheme: "HTTP" });
    expect(c.livenessProbe.httpGet).toEqual({ path: "/healthz/live", port: 8080, scheme: "HTTP" });
    expect(c.startupProbe.failureThreshold).toBe(30);
    expect(JSON.stringify(objs)).not.toContain("cdk8s.io/metadata.addr");
  });

  it("selects pods by Semester's labels and labels them team and tier", () => {
    const d = find(objs, "Deployment", "learner-profile");
    const selector = {
      "app.kubernetes.io/name": "learner-profile",
      "semester.dev/service": "learner-profile",
    };
    expect(d.spec.selector.matchLabels).toEqual(selector);
    expect(find(objs, "Service", "learner-profile").spec.selector).toEqual(selector);
    expect(d.spec.template.metadata.labels).toMatchObject({ team: "profile", tier: "standard" });
  });

  it("isolates ai-tutor in its own namespace on the `ai` node pool", () => {
    const spec = find(objs, "Deployment", "ai-tutor").spec.template.spec;
    expect(find(objs, "Deployment", "ai-tutor").metadata.namespace).toBe("ai-tutor");
    expect(spec.nodeSelector).toEqual({ "semester.dev/pool": "ai" });
    expect(spec.tolerations).toEqual([
      { key: "semester.dev/pool", operator: "Equal", value: "ai", effect: "NoSchedule" },
    ]);
    expect(find(objs, "Deployment", "course-catalog").spec.template.spec.nodeSelector).toBeUndefined();
  });

  it("enforces PSS restricted and default-deny in every workload namespace", () => {
    for (const ns of ["learning", "ai-tutor"]) {
      expect(find(objs, "Namespace", ns).metadata.labels?.["pod-security.kubernetes.io/enforce"]).toBe(
        "restricted",
      );
      const deny = objs.find(
        (o) =>
          o.kind === "NetworkPolicy" && o.metadata.namespace === ns && o.metadata.name === "default-deny-all",
      );
      expect(deny?.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    }
  });

  it("allows into learner-profile exactly the services that call it, across namespaces", () => {
    const np = find(objs, "NetworkPolicy", "learner-profile-allow");
    expect(np.spec.ingress).toEqual([
      {
        from: ["assessment-engine", "enrollment", "ai-tutor"].map((s) => ({
          namespaceSelector: {
            matchLabels: { "kubernetes.io/metadata.name": s === "ai-tutor" ? "ai-tutor" : "learning" },
          },
          podSelector: { matchLabels: { "semester.dev/service": s } },
        })),
        ports: [{ port: 8080, protocol: "TCP" }],
      },
    ]);
  });

  it("routes public hosts through an internet-facing ALB Ingress and keeps internal services private", () => {
    const ing = find(objs, "Ingress", "course-catalog");
    expect(ing.spec.ingressClassName).toBe("alb");
    expect(ing.spec.rules[0].host).toBe("catalog.semester.dev");
    expect(ing.metadata).toMatchObject({
      annotations: { "alb.ingress.kubernetes.io/scheme": "internet-facing" },
    });
    expect(objs.find((o) => o.kind === "Ingress" && o.metadata.name === "learner-profile")).toBeUndefined();
  });

  it("emits one PriorityClass per tier, and the node placeholders' below them all, never preempting", () => {
    const classes = objs.filter((o) => o.kind === "PriorityClass");
    expect(classes.map((o) => [o.metadata.name, o.value, o.preemptionPolicy, o.globalDefault])).toEqual([
      ["semester-critical", 100000, "PreemptLowerPriority", false],
      ["semester-standard", 10000, "PreemptLowerPriority", false],
      ["semester-batch", 1000, "Never", false],
      ["semester-placeholder", -10, "Never", false],
    ]);
  });
});

describe("LearningService overrides", () => {
  it("honours replicas, zone spread, priority class and turning the PDB off", () => {
    const app = Testing.app();
    const chart = new Chart(app, "c");
    new LearningService(chart, "s", {
      name: "course-catalog",
      // ScheduleAnyway cannot keep a statically stable service's zone split, so static stability is off here.
      config: { ...DEFAULT_SERVICES["course-catalog"], staticStability: false },
      region: "us-east-1",
      replicas: 5,
      zoneSpread: "ScheduleAnyway",
      priorityClassName: "custom",
      maxUnavailable: null,
    });
    const objs = Testing.synth(chart) as Obj[];
    const d = find(objs, "Deployment", "course-catalog");
    expect(d.spec.replicas).toBe(5);
    expect(d.spec.template.spec.topologySpreadConstraints[0].whenUnsatisfiable).toBe("ScheduleAnyway");
    expect(d.spec.template.spec.priorityClassName).toBe("custom");
    expect(objs.some((o) => o.kind === "PodDisruptionBudget")).toBe(false);
  });
});

describe("KEDA ScaledObjects", () => {
  const objs = synth();

  it("labels every ScaledObject with region and service and sets explicit HPA behavior", () => {
    for (const so of objs.filter((o) => o.kind === "ScaledObject")) {
      expect(so.metadata.labels).toMatchObject({
        "semester.dev/region": "eu-west-2",
        "semester.dev/service": so.metadata.name,
      });
      expect(so.spec.advanced.horizontalPodAutoscalerConfig.behavior).toEqual(DEFAULT_BEHAVIOR);
    }
  });

  it("scales enrollment on Kafka lag with MSK IAM through a pod-identity TriggerAuthentication, with a fallback", () => {
    const so = find(objs, "ScaledObject", "enrollment");
    expect(so.spec.triggers).toEqual([
      {
        type: "apache-kafka",
        name: "consumer-lag",
        metricType: "AverageValue",
        authenticationRef: { name: "enrollment-msk", kind: "TriggerAuthentication" },
        metadata: {
          bootstrapServers: "b-1.msk.example:9098,b-2.msk.example:9098",
          consumerGroup: "enrollment",
          topic: "enrollment-events",
          lagThreshold: "50",
          sasl: "aws_msk_iam",
          tls: "enable",
          awsRegion: "eu-west-2",
        },
      },
    ]);
    expect(so.spec.fallback).toEqual({
      failureThreshold: 3,
      replicas: 3,
      behavior: "currentReplicasIfHigher",
    });
    expect(find(objs, "TriggerAuthentication", "enrollment-msk").spec).toEqual({
      podIdentity: { provider: "aws", identityOwner: "keda" },
    });
  });

  it("scales HTTP services on their request rate from the PromQL endpoint, signed with SigV4, with a fallback", () => {
    const so = find(objs, "ScaledObject", "course-catalog");
    expect(so.spec.triggers).toEqual([
      {
        type: "prometheus",
        name: "request-rate",
        metricType: "AverageValue",
        metadata: {
          serverAddress: "https://aps-workspaces.eu-west-2.amazonaws.com/workspaces/ws-eu-west-2",
          query: 'sum(rate(http_server_request_duration_seconds_count{job="course-catalog"}[2m]))',
          threshold: "50",
          awsRegion: "eu-west-2",
          ignoreNullValues: "false",
        },
        authenticationRef: { name: "semester-promql", kind: "TriggerAuthentication" },
      },
    ]);
    // The metric unavailable three polls in a row: hold at least minReplicas, never fewer than now.
    expect(so.spec.fallback).toEqual({
      failureThreshold: 3,
      replicas: 3,
      behavior: "currentReplicasIfHigher",
    });
    expect([so.spec.minReplicaCount, so.spec.maxReplicaCount]).toEqual([3, 30]);
    expect(find(objs, "TriggerAuthentication", "semester-promql").spec).toEqual({
      podIdentity: { provider: "aws", identityOwner: "keda" },
    });
  });

  it("scales the AI tutor on CPU and emits no fallback, which KEDA rejects with CPU triggers", () => {
    const so = find(objs, "ScaledObject", "ai-tutor");
    expect(so.spec.triggers).toEqual([
      { type: "cpu", name: "cpu", metricType: "Utilization", metadata: { value: "60" } },
    ]);
    expect(so.spec.fallback).toBeUndefined();
  });

  it("refuses a service whose own settings yield no trigger", () => {
    const services = servicesSchema.parse({
      ...DEFAULT_SERVICES,
      "ai-tutor": { ...DEFAULT_SERVICES["ai-tutor"], scaling: { cpuUtilization: null } },
    });
    expect(() => synth({ services })).toThrow(
      '  - `services.ai-tutor.scaling`: got {"cpuUtilization":null,"memoryUtilization":null}; yields no trigger',
    );
  });

  it("refuses a request-rate trigger without a PromQL endpoint", () => {
    expect(() => synth({ promql: undefined })).toThrow(
      '  - `services.course-catalog.scaling.requestRate`: got {"perReplica":50}; reads the request rate from the platform\'s PromQL endpoint, and there is none; fix: give the chart a `promql` endpoint, or remove requestRate and set cpuUtilization',
    );
  });

  const cron = (name: string, desiredReplicas: string): KedaCronTrigger => ({
    type: "cron",
    name,
    metadata: { timezone: "Europe/London", start: "0 8 19 10 *", end: "0 12 19 10 *", desiredReplicas },
  });

  it("appends a contribution's cron triggers after the service's own, within the service's bounds and behavior", () => {
    const so = find(
      synth({ scaling: { enrollment: [{ source: "calendar", triggers: [cron("exam-1", "24")] }] } }),
      "ScaledObject",
      "enrollment",
    );
    expect(so.spec.triggers.map((t: { name: string }) => t.name)).toEqual(["consumer-lag", "exam-1"]);
    expect(so.spec.triggers[1]).toEqual({ ...cron("exam-1", "24"), metricType: "AverageValue" });
    expect(so.spec.advanced.horizontalPodAutoscalerConfig.behavior).toEqual(DEFAULT_BEHAVIOR);
    expect([so.spec.minReplicaCount, so.spec.maxReplicaCount]).toEqual([3, 24]);
  });

  it("refuses a contribution that asks for more replicas than the service's maxReplicas", () => {
    const scaling = { enrollment: [{ source: "calendar", triggers: [cron("exam-1", "25")] }] };
    expect(() => synth({ scaling })).toThrow(
      "Invalid input in ScaledObject learning/enrollment (eu-west-2) (1 problem):\n" +
        '  - `calendar.triggers[0] (exam-1).metadata.desiredReplicas`: got "25"; must be an integer in 1..24: ' +
        "the service's maxReplicas bound the ScaledObject and a contribution never widens them; fix: give calendar " +
        "the service's bounds (the calendar compiles against the stack's minReplicas/maxReplicas)",
    );
  });

  it("rejects two triggers with one name", () => {
    const scaling = { "ai-tutor": [{ source: "calendar", triggers: [cron("cpu", "4")] }] };
    expect(() => synth({ scaling })).toThrow(
      "Invalid input in ScaledObject ai-tutor/ai-tutor (eu-west-2) (1 problem):\n" +
        '  - `triggers[1].name`: got "cpu"; must be unique within the ScaledObject; triggers[0] (`cpu`) has it',
    );
  });

  it("lists every problem at once: a Kafka service without a data binding and a fallback next to a CPU trigger", () => {
    const services = servicesSchema.parse({
      ...DEFAULT_SERVICES,
      "course-catalog": {
        ...DEFAULT_SERVICES["course-catalog"],
        scaling: { cpuUtilization: 70, fallbackReplicas: 4 },
      },
      enrollment: { ...DEFAULT_SERVICES.enrollment, dataAccess: "none" },
    });
    expect(() => synth({ services, kafkaBootstrapServers: undefined })).toThrow(
      [
        "Invalid input in LearningChart eu (2 problems):",
        "  - `services.course-catalog.scaling.fallbackReplicas`: got 4; KEDA allows no fallback on a ScaledObject with cpu triggers; fix: set scaling.cpuUtilization and scaling.memoryUtilization to null, or remove fallbackReplicas",
        '  - `services.enrollment.dataAccess`: got "none"; its Kafka lag trigger (`scaling.kafka`) reads the MSK brokers from the data binding\'s `KAFKA_BOOTSTRAP_SERVERS`, which `none` does not get; fix: set it to `write` or `read`, or scale the service on cpu, memory or prometheus',
      ].join("\n"),
    );
  });

  it("reads the MSK brokers from the data binding's env when no brokers are given", () => {
    const envObjs = synth({ kafkaBootstrapServers: undefined });
    expect(find(envObjs, "ScaledObject", "analytics").spec.triggers[0].metadata).toEqual({
      bootstrapServersFromEnv: "KAFKA_BOOTSTRAP_SERVERS",
      consumerGroup: "analytics",
      topic: "learner-activity",
      lagThreshold: "1000",
      sasl: "aws_msk_iam",
      tls: "enable",
      awsRegion: "eu-west-2",
    });
    expect(find(envObjs, "ScaledObject", "enrollment").spec.triggers[0].metadata).toMatchObject({
      bootstrapServersFromEnv: "KAFKA_BOOTSTRAP_SERVERS",
    });
    expect(
      find(envObjs, "ScaledObject", "enrollment").spec.triggers[0].metadata.bootstrapServers,
    ).toBeUndefined();
  });

  it("accepts a Kafka service with no data binding when the brokers are given literally", () => {
    const services = withService("analytics", { dataAccess: "none" });
    expect(find(synth({ services }), "ScaledObject", "analytics").spec.triggers[0].metadata).toMatchObject({
      bootstrapServers: "b-1.msk.example:9098,b-2.msk.example:9098",
    });
  });
});

describe("CQRS data access", () => {
  const objs = synth();
  const container = (o: Obj[], name: string) => find(o, "Deployment", name).spec.template.spec.containers[0];

  it("defaults commands to the write binding and queries to the read binding", () => {
    expect(Object.fromEntries(SERVICE_NAMES.map((n) => [n, DEFAULT_SERVICES[n].dataAccess]))).toEqual({
      "course-catalog": "read",
      "assessment-engine": "write",
      enrollment: "write",
      "learner-profile": "write",
      analytics: "read",
      "ai-tutor": "read",
    });
  });

  it("keeps a configured dataAccess over the service's default", () => {
    expect(withService("learner-profile", { dataAccess: "none" })["learner-profile"].dataAccess).toBe("none");
    expect(withService("ai-tutor", { dataAccess: "write" })["ai-tutor"].dataAccess).toBe("write");
  });

  it("rejects a dataAccess outside write, read and none", () => {
    const result = servicesSchema.safeParse(
      {
        ...DEFAULT_SERVICES_INPUT,
        analytics: { ...DEFAULT_SERVICES_INPUT.analytics, dataAccess: "readwrite" },
      },
      { reportInput: true },
    );
    expect(result.success ? [] : problemsFromZod("semester:services", result.error.issues)).toEqual([
      {
        path: "semester:services.analytics.dataAccess",
        value: "readwrite",
        rule: "expected one of: write, read, none",
      },
    ]);
  });

  it("gives each container exactly one envFrom, the ConfigMap of its access, and nothing else", () => {
    for (const name of SERVICE_NAMES) {
      const expected =
        DEFAULT_SERVICES[name].dataAccess === "write" ? "semester-data-write" : "semester-data-read";
      expect(container(objs, name).envFrom).toEqual([{ configMapRef: { name: expected } }]);
    }
    expect(Object.keys(container(objs, "enrollment")).sort()).toEqual([
      "env",
      "envFrom",
      "image",
      "imagePullPolicy",
      "livenessProbe",
      "name",
      "ports",
      "readinessProbe",
      "resources",
      "securityContext",
      "startupProbe",
      "volumeMounts",
    ]);
  });

  it("emits no envFrom for a service with dataAccess none, and no ConfigMap for any binding", () => {
    const services = withService("course-catalog", { dataAccess: "none" });
    const none = synth({ services });
    expect(Object.keys(container(none, "course-catalog"))).not.toContain("envFrom");
    expect(none.filter((o) => o.kind === "ConfigMap")).toEqual([]);
  });

  it("lists the data ConfigMaps the Deployments reference, and the brokers key where KEDA needs it", () => {
    expect(requiredDataConfigMaps(DEFAULT_SERVICES)).toEqual([
      {
        namespace: "ai-tutor",
        name: "semester-data-read",
        services: ["ai-tutor"],
        requiredKeys: [],
      },
      {
        namespace: "learning",
        name: "semester-data-read",
        services: ["course-catalog", "analytics"],
        requiredKeys: ["KAFKA_BOOTSTRAP_SERVERS"],
      },
      {
        namespace: "learning",
        name: "semester-data-write",
        services: ["assessment-engine", "enrollment", "learner-profile"],
        requiredKeys: ["KAFKA_BOOTSTRAP_SERVERS"],
      },
    ]);
    expect(
      requiredDataConfigMaps(DEFAULT_SERVICES, "b-1:9098").map((c) => [c.namespace, c.name, c.requiredKeys]),
    ).toEqual([
      ["ai-tutor", "semester-data-read", []],
      ["learning", "semester-data-read", []],
      ["learning", "semester-data-write", []],
    ]);
  });
});
