/**
 * One learning service with HA defaults by tier: ServiceAccount, Deployment, Service, PodDisruptionBudget,
 * NetworkPolicy with its explicit allows, and an ALB Ingress when it is public. Its container takes its env from
 * the data binding of its `dataAccess` (ConfigMap `semester-data-write` or `semester-data-read`, emitted by the
 * data tier in the same namespace).
 *
 * cdk8s-plus-28 adds hidden defaults to every Deployment (a generated selector label, a TCP startup probe,
 * `imagePullPolicy: Always`, default resources and a partial security context). Every one of them is set or
 * removed explicitly here, and test/kubernetes/learning-service.test.ts asserts the exact pod spec.
 */
import { Construct } from "constructs";
import { ApiObject, Duration, JsonPatch, Size } from "cdk8s";
import * as kplus from "cdk8s-plus-28";
import {
  IntOrString,
  KubeIngress,
  KubeNetworkPolicy,
  KubePodDisruptionBudget,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  Quantity,
} from "cdk8s-plus-28/lib/imports/k8s";
import { imageReference, ServiceConfig, ServiceName } from "./config";
import { dataConfigMapName } from "./data-access";
import { DataEgress, dataEgressRules, POD_IDENTITY_AGENT } from "./data-egress";
import { latencyRecordAnnotations } from "./dns";
import { LABELS, TIER_DEFAULTS, serviceLabels, serviceReplicaBounds } from "./tiers";
import { GATEWAY_PEER, ISTIOD_PEER, MESH_PORTS } from "../mesh";
import { ALB_ZONAL_SHIFT_ANNOTATIONS, InputError } from "../core";
import { renderAsRollout, type ServiceDelivery } from "./delivery/rollout";

/** Where another service lives, for NetworkPolicy peers. */
export interface ServicePeer {
  readonly service: ServiceName;
  readonly namespace: string;
  readonly port: number;
}

export interface LearningServiceProps {
  /** The service name (also the name of every object it emits). */
  readonly name: ServiceName;
  /** The service's parsed config. */
  readonly config: ServiceConfig;
  /** AWS region of the cluster (label `semester.dev/region`). */
  readonly region: string;
  /** Services that call this one (ingress allows). @default [] */
  readonly callers?: readonly ServicePeer[];
  /** Services this one calls (egress allows). @default [] */
  readonly callees?: readonly ServicePeer[];
  /** CIDRs of the VPC: the ALB sends target traffic from there; `dataPorts` are allowed to it. @default ["10.0.0.0/8"] */
  readonly vpcCidrs?: readonly string[];
  /**
   * The store endpoints the service's data binding hands it (see `data-egress.ts`): one egress allow each, to
   * the store's own subnets and port. @default [] (no binding: no data egress)
   */
  readonly dataEgress?: readonly DataEgress[];
  /**
   * The pods get AWS credentials through EKS Pod Identity, so they may reach the node's Pod Identity agent
   * (169.254.170.23:80; network policy applies to it, and without the allow credential requests time out).
   * @default - true when the service has `aws` access or a data binding (both are served through its role)
   */
  readonly podIdentity?: boolean;
  /** Replicas of the Deployment (KEDA takes over from there). @default max(config.minReplicas, tier floor) */
  readonly replicas?: number;
  /** PodDisruptionBudget `maxUnavailable`; `null` emits no PDB. @default the tier's (1) */
  readonly maxUnavailable?: number | null;
  /**
   * Zone spread `whenUnsatisfiable`; a statically stable service refuses ScheduleAnyway.
   * @default DoNotSchedule for critical or statically stable services, ScheduleAnyway otherwise
   */
  readonly zoneSpread?: "DoNotSchedule" | "ScheduleAnyway";
  /**
   * Zones of the region's cluster. With `config.staticStability` the zone constraint gets `minDomains` = this,
   * so the calendar's zone-loss headroom is split evenly over every zone. @default 3
   */
  readonly availabilityZones?: number;
  /** PriorityClass of the pods. @default the tier's (`semester-<tier>`) */
  readonly priorityClassName?: string;
  /** Seconds a pod gets to drain on shutdown. @default 30 */
  readonly terminationGracePeriodSeconds?: number;
  /** UID and GID the container runs as. @default 10001 */
  readonly runAsUser?: number;
  /** Size of the writable /tmp (the root filesystem is read-only). @default 256 MiB */
  readonly tmpSizeMebibytes?: number;
  /**
   * Publish the public host as this region's Route 53 latency record through ExternalDNS (annotations
   * `set-identifier` and `aws-region` = the region on the Ingress). See `dns.ts`.
   * @default false
   */
  readonly latencyDns?: boolean;
  /**
   * Pod template annotations, e.g. the OpenTelemetry Operator's `instrumentation.opentelemetry.io/inject-java`.
   * @default {}
   */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /** The telemetry collector the pods export OTLP to, as a NetworkPolicy egress allow. @default none */
  readonly telemetryEgress?: TelemetryEgress;
  /**
   * The pods run an Istio sidecar (`semester:mesh`): public traffic arrives from the ingress gateway's pods (the
   * mesh's Ingress replaces the service's own), and the sidecar reaches istiod for its config and certificates.
   * @default false
   */
  readonly mesh?: boolean;
  /**
   * Roll out as an Argo `Rollout` (same name, same pod template) with this strategy and analysis, instead of a
   * Deployment (see `delivery/rollout.ts`). @default none (a Deployment)
   */
  readonly delivery?: ServiceDelivery;
}

/** Where a service's pods send telemetry: collector pods by namespace and labels, on these ports. */
export interface TelemetryEgress {
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly ports: readonly number[];
}

/** Probe paths every Semester service serves. */
export const PROBE_PATHS = { ready: "/healthz/ready", live: "/healthz/live" } as const;
/** Port the Service exposes (the container listens on `config.port`). */
export const SERVICE_PORT = 80;

export class LearningService extends Construct {
  /** Labels that select the service's pods. */
  public readonly selector: Readonly<Record<string, string>>;
  /** Labels on every object of the service. */
  public readonly labels: Readonly<Record<string, string>>;
  /** Replicas of the workload as resolved (config, tier floor, override). */
  public readonly replicas: number;
  public readonly namespace: string;
  /** The workload as cdk8s-plus builds it; rendered as a Rollout when `delivery` is set. */
  public readonly deployment: kplus.Deployment;
  /** What the workload renders as. */
  public readonly workloadKind: "Deployment" | "Rollout";
  /** The data ConfigMap the container takes its env from; `undefined` when `dataAccess` is `none`. */
  public readonly dataConfigMap: string | undefined;

  constructor(scope: Construct, id: string, props: LearningServiceProps) {
    super(scope, id);
    const { name, config } = props;
    const tier = TIER_DEFAULTS[config.tier];
    const ns = config.namespace;
    this.namespace = ns;
    this.replicas = props.replicas ?? serviceReplicaBounds(config).minReplicas;
    const uid = props.runAsUser ?? 10001;
    const vpcCidrs = props.vpcCidrs ?? ["10.0.0.0/8"];
    this.dataConfigMap = dataConfigMapName(config.dataAccess);

    this.selector = { [LABELS.name]: name, [LABELS.service]: name };
    this.labels = serviceLabels(name, config, props.region);
    const meta = { name, namespace: ns, labels: { ...this.labels } };

    const serviceAccount = new kplus.ServiceAccount(this, "service-account", {
      metadata: meta,
      automountToken: false,
    });

    const deployment = new kplus.Deployment(this, "deployment", {
      metadata: meta,
      podMetadata: { labels: { ...this.labels }, annotations: { ...props.podAnnotations } },
      select: false,
      replicas: this.replicas,
      minReady: Duration.seconds(10),
      progressDeadline: Duration.minutes(10),
      strategy: kplus.DeploymentStrategy.rollingUpdate({
        maxSurge: kplus.PercentOrAbsolute.percent(25),
        maxUnavailable: kplus.PercentOrAbsolute.absolute(0),
      }),
      serviceAccount,
      automountServiceAccountToken: false,
      terminationGracePeriod: Duration.seconds(props.terminationGracePeriodSeconds ?? 30),
      restartPolicy: kplus.RestartPolicy.ALWAYS,
      dns: { policy: kplus.DnsPolicy.CLUSTER_FIRST },
      hostNetwork: false,
      securityContext: {
        ensureNonRoot: true,
        user: uid,
        group: uid,
        fsGroup: uid,
        fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH,
      },
      containers: [],
    });
    deployment.select(kplus.LabelSelector.of({ labels: { ...this.selector } }));
    this.deployment = deployment;

    const tmp = kplus.Volume.fromEmptyDir(this, "tmp", "tmp", {
      sizeLimit: Size.mebibytes(props.tmpSizeMebibytes ?? 256),
    });
    const probe = (path: string, failureThreshold: number, initial: number) =>
      kplus.Probe.fromHttpGet(path, {
        port: config.port,
        initialDelaySeconds: Duration.seconds(initial),
        periodSeconds: Duration.seconds(10),
        timeoutSeconds: Duration.seconds(2),
        failureThreshold,
        successThreshold: 1,
      });
    deployment.addContainer({
      name,
      image: imageReference(config.image),
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      ports: [{ number: config.port, name: "http", protocol: kplus.Protocol.TCP }],
      envVariables: {
        SEMESTER_REGION: kplus.EnvValue.fromValue(props.region),
        SEMESTER_SERVICE: kplus.EnvValue.fromValue(name),
      },
      // Not optional: a pod without its data binding would start against nothing; it waits for the ConfigMap.
      envFrom:
        this.dataConfigMap === undefined
          ? []
          : [kplus.Env.fromConfigMap(kplus.ConfigMap.fromConfigMapName(this, "data", this.dataConfigMap))],
      securityContext: {
        ensureNonRoot: true,
        user: uid,
        group: uid,
        privileged: false,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: [kplus.Capability.ALL] },
        seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
      },
      readiness: probe(PROBE_PATHS.ready, 3, 0),
      liveness: probe(PROBE_PATHS.live, 3, 0),
      // Up to 30 x 10 s to start; liveness only counts after this succeeds.
      startup: probe(PROBE_PATHS.live, 30, 5),
      volumeMounts: [{ path: "/tmp", volume: tmp }],
    });

    const zoneSpread = staticZoneSpread(
      name,
      config.staticStability,
      props.zoneSpread ?? (config.staticStability ? "DoNotSchedule" : tier.zoneSpread),
      props.availabilityZones ?? 3,
    );
    const podSpec = "/spec/template/spec";
    // The label that tells one ReplicaSet's pods from another's: Argo Rollouts sets its own, not the Deployment's.
    const hashLabel = props.delivery !== undefined ? "rollouts-pod-template-hash" : "pod-template-hash";
    const patches: JsonPatch[] = [
      // cdk8s-plus always labels pods with its construct address; Semester selects on its own labels only.
      JsonPatch.remove("/spec/template/metadata/labels/cdk8s.io~1metadata.addr"),
      JsonPatch.add(`${podSpec}/securityContext/seccompProfile`, { type: "RuntimeDefault" }),
      JsonPatch.add(`${podSpec}/priorityClassName`, props.priorityClassName ?? tier.priorityClassName),
      JsonPatch.add(`${podSpec}/enableServiceLinks`, false),
      // Exact quantities from config (patches on L1 objects run before cdk8s maps Quantity objects to strings);
      // cdk8s-plus would otherwise add its own defaults or re-render memory in Mi.
      JsonPatch.add(`${podSpec}/containers/0/resources`, {
        requests: { cpu: quantity(config.requests.cpu), memory: quantity(config.requests.memory) },
        limits: { cpu: quantity(config.limits.cpu), memory: quantity(config.limits.memory) },
      }),
      JsonPatch.add(`${podSpec}/topologySpreadConstraints`, [
        {
          maxSkew: 1,
          topologyKey: "topology.kubernetes.io/zone",
          ...zoneSpread,
          labelSelector: { matchLabels: { ...this.selector } },
          matchLabelKeys: [hashLabel],
        },
        {
          maxSkew: 1,
          topologyKey: "kubernetes.io/hostname",
          whenUnsatisfiable: "ScheduleAnyway",
          labelSelector: { matchLabels: { ...this.selector } },
          matchLabelKeys: [hashLabel],
        },
      ]),
    ];
    if (config.nodePool !== undefined) {
      patches.push(
        JsonPatch.add(`${podSpec}/nodeSelector`, { [LABELS.pool]: config.nodePool }),
        JsonPatch.add(`${podSpec}/tolerations`, [
          { key: LABELS.pool, operator: "Equal", value: config.nodePool, effect: "NoSchedule" },
        ]),
      );
    }
    ApiObject.of(deployment).addJsonPatch(...patches);
    // Last: the same object renders as a Rollout, so every field above is kept as it is.
    if (props.delivery !== undefined) renderAsRollout(ApiObject.of(deployment), props.delivery);
    this.workloadKind = props.delivery !== undefined ? "Rollout" : "Deployment";

    const service = new kplus.Service(this, "service", {
      metadata: meta,
      type: kplus.ServiceType.CLUSTER_IP,
      ports: [{ name: "http", port: SERVICE_PORT, targetPort: config.port, protocol: kplus.Protocol.TCP }],
    });
    for (const [k, v] of Object.entries(this.selector)) service.selectLabel(k, v);
    // cdk8s-plus emits an empty `externalIPs`; a ClusterIP service has none.
    ApiObject.of(service).addJsonPatch(JsonPatch.remove("/spec/externalIPs"));
    const second = props.delivery?.secondService;
    if (second !== undefined) {
      // Argo Rollouts adds the ReplicaSet's hash to this Service's selector while a rollout runs.
      const other = new kplus.Service(this, "second-service", {
        metadata: { ...meta, name: second },
        type: kplus.ServiceType.CLUSTER_IP,
        ports: [{ name: "http", port: SERVICE_PORT, targetPort: config.port, protocol: kplus.Protocol.TCP }],
      });
      for (const [k, v] of Object.entries(this.selector)) other.selectLabel(k, v);
      ApiObject.of(other).addJsonPatch(JsonPatch.remove("/spec/externalIPs"));
    }
    if (props.delivery !== undefined) {
      new ApiObject(this, "analysis-template", props.delivery.analysisTemplate);
    }

    const maxUnavailable = props.maxUnavailable === undefined ? tier.maxUnavailable : props.maxUnavailable;
    if (maxUnavailable !== null) {
      new KubePodDisruptionBudget(this, "pdb", {
        metadata: meta,
        spec: {
          maxUnavailable: IntOrString.fromNumber(maxUnavailable),
          selector: { matchLabels: { ...this.selector } },
          unhealthyPodEvictionPolicy: "AlwaysAllow",
        },
      });
    }

    this.networkPolicy(props, meta, vpcCidrs);

    // In the mesh, the region's one Ingress targets the ingress gateway (components/mesh).
    if (config.publicHost !== undefined && !(props.mesh ?? false)) {
      new KubeIngress(this, "ingress", {
        metadata: {
          ...meta,
          annotations: {
            "alb.ingress.kubernetes.io/scheme": "internet-facing",
            "alb.ingress.kubernetes.io/target-type": "ip",
            "alb.ingress.kubernetes.io/listen-ports": '[{"HTTPS":443}]',
            "alb.ingress.kubernetes.io/ssl-redirect": "443",
            "alb.ingress.kubernetes.io/healthcheck-path": PROBE_PATHS.ready,
            "alb.ingress.kubernetes.io/group.name": `semester-${props.region}`,
            ...ALB_ZONAL_SHIFT_ANNOTATIONS,
            ...((props.latencyDns ?? false) ? latencyRecordAnnotations(props.region) : {}),
          },
        },
        spec: {
          ingressClassName: "alb",
          rules: [
            {
              host: config.publicHost,
              http: {
                paths: [
                  {
                    path: "/",
                    pathType: "Prefix",
                    backend: { service: { name, port: { number: SERVICE_PORT } } },
                  },
                ],
              },
            },
          ],
        },
      });
    }
  }

  private networkPolicy(
    props: LearningServiceProps,
    meta: { name: string; namespace: string; labels: Record<string, string> },
    vpcCidrs: readonly string[],
  ): void {
    const { config } = props;
    const tcp = (port: number): NetworkPolicyPort => ({
      protocol: "TCP",
      port: IntOrString.fromNumber(port),
    });
    const peer = (p: ServicePeer): NetworkPolicyPeer => ({
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": p.namespace } },
      podSelector: { matchLabels: { [LABELS.service]: p.service } },
    });
    const cidrs: NetworkPolicyPeer[] = vpcCidrs.map((cidr) => ({ ipBlock: { cidr } }));

    const ingress = [];
    const callers = props.callers ?? [];
    if (callers.length > 0) ingress.push({ from: callers.map(peer), ports: [tcp(config.port)] });
    // The ALB sends to pod IPs (target-type ip) from inside the VPC; in the mesh, the gateway's pods do.
    const mesh = props.mesh ?? false;
    if (config.publicHost !== undefined)
      ingress.push({ from: mesh ? [meshPeer(GATEWAY_PEER)] : cidrs, ports: [tcp(config.port)] });

    const egress = [];
    for (const callee of props.callees ?? []) egress.push({ to: [peer(callee)], ports: [tcp(callee.port)] });
    // The sidecar's xDS stream and certificate requests go to istiod.
    if (mesh) egress.push({ to: [meshPeer(ISTIOD_PEER)], ports: [tcp(MESH_PORTS.xds)] });
    egress.push(...dataEgressRules(props.dataEgress ?? []));
    if (config.dataPorts.length > 0) egress.push({ to: cidrs, ports: config.dataPorts.map(tcp) });
    const telemetry = props.telemetryEgress;
    if (telemetry !== undefined) {
      egress.push({
        to: [
          {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": telemetry.namespace } },
            podSelector: { matchLabels: { ...telemetry.podLabels } },
          },
        ],
        ports: telemetry.ports.map(tcp),
      });
    }
    if (props.podIdentity ?? (config.aws !== undefined || config.dataAccess !== "none")) {
      egress.push({
        to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT.cidr } }],
        ports: [tcp(POD_IDENTITY_AGENT.port)],
      });
    }
    // AWS APIs (STS for Pod Identity, Bedrock, MSK IAM signing) are HTTPS endpoints outside the cluster.
    if (config.aws !== undefined)
      egress.push({ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [tcp(443)] });

    new KubeNetworkPolicy(this, "network-policy", {
      metadata: { ...meta, name: `${meta.name}-allow` },
      spec: {
        podSelector: { matchLabels: { ...this.selector } },
        policyTypes: ["Ingress", "Egress"],
        ingress,
        egress,
      },
    });
  }
}

const quantity = (q: string): Quantity => Quantity.fromString(q);

/** A mesh pod peer (namespace and pod labels) as cdk8s-plus's NetworkPolicyPeer. */
const meshPeer = (p: {
  readonly namespaceSelector: { readonly matchLabels: Readonly<Record<string, string>> };
  readonly podSelector: { readonly matchLabels: Readonly<Record<string, string>> };
}): NetworkPolicyPeer => ({
  namespaceSelector: { matchLabels: { ...p.namespaceSelector.matchLabels } },
  podSelector: { matchLabels: { ...p.podSelector.matchLabels } },
});

/**
 * The zone constraint's `whenUnsatisfiable` and, for a statically stable service, `minDomains`.
 *
 * Static stability needs the split the headroom assumes (at most ceil(m / Z) pods in one zone, model/headroom.ts
 * in the calendar): `maxSkew: 1` with `DoNotSchedule` enforces it, and `minDomains: Z` keeps it while some zone has
 * no node yet. Relied on (Kubernetes API reference, TopologySpreadConstraint.minDomains; stable since 1.30):
 * while fewer than minDomains eligible domains exist the global minimum counts as 0, so no zone takes more than
 * maxSkew pods and the rest stay Pending, which makes Karpenter provision in the missing zones (it honours
 * minDomains: kubernetes-sigs/karpenter PR #330; the Karpenter FAQ recommends it for zonal spread). minDomains
 * requires DoNotSchedule. The flip side: while a zone is down its domain still counts (its nodes stay, tainted,
 * and nodeTaintsPolicy defaults to Ignore) with 0 pods, so new pods of the service do not schedule until it
 * returns; that is why the headroom is provisioned before the window rather than after a loss.
 * @internal
 */
export function staticZoneSpread(
  service: string,
  staticStability: boolean,
  whenUnsatisfiable: "DoNotSchedule" | "ScheduleAnyway",
  zones: number,
): { whenUnsatisfiable: "DoNotSchedule" | "ScheduleAnyway"; minDomains?: number } {
  if (!staticStability) return { whenUnsatisfiable };
  if (whenUnsatisfiable !== "DoNotSchedule" || !Number.isInteger(zones) || zones < 2) {
    throw new InputError(`LearningService ${service}`, [
      {
        path: whenUnsatisfiable !== "DoNotSchedule" ? "zoneSpread" : "availabilityZones",
        value: whenUnsatisfiable !== "DoNotSchedule" ? whenUnsatisfiable : zones,
        rule:
          whenUnsatisfiable !== "DoNotSchedule"
            ? "must be DoNotSchedule for a statically stable service (minDomains requires it, and ScheduleAnyway cannot guarantee the zone split)"
            : "must be an integer >= 2 for a statically stable service",
        fix: "set `config.staticStability` to false, or leave the zone spread at DoNotSchedule over 2 or more zones",
      },
    ]);
  }
  return { whenUnsatisfiable, minDomains: zones };
}
