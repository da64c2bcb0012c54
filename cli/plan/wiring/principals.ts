/**
 * Every in-cluster principal of the plan that calls AWS, per region, with the calls it must (and must not) make:
 * the learning services with data bindings, KEDA's operator when a trigger reads MSK lag, ExternalDNS when it is
 * installed, the controllers whose checks live in `checks/` (load balancer controller, Karpenter, EBS CSI,
 * the database-role bootstrap), and the observability principals (`observability-principals.ts`).
 */
import { serviceBindings, type ServiceBinding } from "./bindings";
import { albControllerCallChecks } from "./checks/alb-controller";
import { databaseRolesCallChecks } from "./checks/database-roles";
import { ebsCsiCallChecks } from "./checks/ebs-csi";
import { karpenterCallChecks } from "./checks/karpenter";
import { externalDnsCallChecks, kedaCallChecks, scaledTopic, serviceCallChecks } from "./checks/data-clients";
import { deploymentRunsAs, kedaOperator, releaseRunsAs, type Principal } from "./identity";
import { at, field, jobEnv, PlanIndex } from "./model";
import { observabilityPrincipals } from "./observability-principals";
import { clusterNetwork, type StoreEndpoint } from "./network";
import type { ClusterScope } from "./types";

function servicePrincipals(idx: PlanIndex, bindings: readonly ServiceBinding[]): Principal[] {
  return bindings.map((b) => ({
    region: b.region,
    namespace: b.namespace,
    serviceAccount: b.serviceAccount ?? "default",
    runsAs: deploymentRunsAs(idx, b.region, b.namespace, b.service, b.service),
    checks: serviceCallChecks(idx, b),
  }));
}

function kedaPrincipals(idx: PlanIndex, bindings: readonly ServiceBinding[]): Principal[] {
  return idx.regions().flatMap((region) => {
    const lag: { store: StoreEndpoint; topic: string; group: string }[] = [];
    for (const b of bindings.filter((x) => x.region === region)) {
      const scaled = scaledTopic(idx, region, b.namespace, b.service);
      const broker = b.endpoints.find((e) => e.kind === "kafka" && e.store !== undefined);
      if (scaled && broker?.store) lag.push({ store: broker.store, ...scaled });
    }
    if (lag.length === 0) return [];
    return [{ ...kedaOperator(idx, region), checks: kedaCallChecks(lag) }];
  });
}

function externalDnsPrincipals(idx: PlanIndex): Principal[] {
  return idx.regions().flatMap((region) => {
    const release = idx
      .ofType("kubernetes:helm.sh/v3:Release", region)
      .find((r) => r.inputs.name === "external-dns");
    if (release === undefined) return [];
    const filter = (at(release.inputs.values, "extraArgs") as string[] | undefined)?.find((a) =>
      a.startsWith("--zone-id-filter="),
    );
    const zone = filter?.split("=")[1] ?? "";
    const namespace = String(release.inputs.namespace);
    return [
      {
        region,
        namespace,
        serviceAccount: "external-dns",
        runsAs: releaseRunsAs(idx, region, "external-dns", namespace, "external-dns"),
        checks: externalDnsCallChecks(zone),
      },
    ];
  });
}

/**
 * Where a region's controllers act: partition and account from the cluster's ARN, its VPC, and the neighbour
 * their roles must not reach (the next region's cluster, or a made-up one in a one-region stack).
 */
export function clusterScope(idx: PlanIndex, region: string): ClusterScope | undefined {
  const eks = idx.ofType("aws:eks/cluster:Cluster", region)[0];
  const net = clusterNetwork(idx, region);
  if (eks === undefined || net === undefined) return undefined;
  const [, partition = "aws", , , accountId = ""] = String(eks.outputs?.arn ?? "").split(":");
  const regions = idx.regions();
  const other = regions[(regions.indexOf(region) + 1) % regions.length];
  const neighbour = other !== undefined && other !== region ? clusterNetwork(idx, other) : undefined;
  return {
    partition,
    accountId,
    region,
    clusterName: net.clusterName,
    vpcId: net.vpcId,
    neighbour: neighbour
      ? { region: neighbour.region, clusterName: neighbour.clusterName, vpcId: neighbour.vpcId }
      : {
          region: region === "us-east-1" ? "us-west-2" : "us-east-1",
          clusterName: `${net.clusterName}-neighbour`,
          vpcId: "vpc-0neighbour000000",
        },
  };
}

function controllerPrincipals(idx: PlanIndex): Principal[] {
  return idx.regions().flatMap((region): Principal[] => {
    const scope = clusterScope(idx, region);
    if (scope === undefined) return [];
    const out: Principal[] = [];
    const karpenter = idx
      .ofType("kubernetes:helm.sh/v3:Release", region)
      .find((r) => r.inputs.name === "karpenter");
    if (karpenter !== undefined) {
      const namespace = String(karpenter.inputs.namespace);
      const nodeClass = idx.objects(region, "EC2NodeClass")[0];
      const nodeRole = idx.find("aws:iam/role:Role", at(nodeClass, "spec", "role"));
      const queue = idx.find(
        "aws:sqs/queue:Queue",
        at(karpenter.inputs.values, "settings", "interruptionQueue"),
      );
      const eks = idx.ofType("aws:eks/cluster:Cluster", region)[0];
      out.push({
        region,
        namespace,
        serviceAccount: "karpenter",
        runsAs: releaseRunsAs(idx, region, "karpenter", namespace, "karpenter"),
        checks: karpenterCallChecks(scope, {
          nodeRoleArn: String(nodeRole?.outputs?.arn ?? "arn:aws:iam::000000000000:role/missing-node-role"),
          interruptionQueueArn: String(queue?.outputs?.arn ?? "arn:aws:sqs:missing"),
          kubernetesVersion: eks ? field(eks, "version") : undefined,
        }),
      });
    }
    const alb = idx
      .ofType("kubernetes:helm.sh/v3:Release", region)
      .find((r) => r.inputs.name === "aws-load-balancer-controller");
    if (alb !== undefined) {
      const namespace = String(alb.inputs.namespace);
      out.push({
        region,
        namespace,
        serviceAccount: "aws-load-balancer-controller",
        runsAs: releaseRunsAs(
          idx,
          region,
          "aws-load-balancer-controller",
          namespace,
          "aws-load-balancer-controller",
        ),
        checks: albControllerCallChecks(scope, {
          nodeSecurityGroupId: clusterNetwork(idx, region)?.securityGroupId,
        }),
      });
    }
    const ebs = idx
      .ofType("aws:eks/addon:Addon", region)
      .find((a) => a.inputs.addonName === "aws-ebs-csi-driver");
    if (ebs !== undefined) {
      const serviceAccount = String(
        ((ebs.inputs.podIdentityAssociations ?? []) as Record<string, unknown>[])[0]?.serviceAccount ??
          "ebs-csi-controller-sa",
      );
      const storageClass = idx
        .objects(region, "StorageClass")
        .find((s) => at(s, "provisioner") === "ebs.csi.aws.com");
      out.push({
        region,
        namespace: "kube-system",
        serviceAccount,
        runsAs: { ok: true, via: `EKS add-on ${String(ebs.inputs.addonName)}` },
        checks: ebsCsiCallChecks(scope, {
          kmsKeyArn: String(at(storageClass, "parameters", "kmsKeyId") ?? ""),
        }),
      });
    }
    return out;
  });
}

/** The database-role bootstrap Job of each region that has one: it reads the primaries' master secrets. */
function databaseRolePrincipals(idx: PlanIndex): Principal[] {
  return idx.regions().flatMap((region): Principal[] => {
    const scope = clusterScope(idx, region);
    return idx
      .objects(region, "Job")
      .filter((j) => at(j, "metadata", "labels", "app.kubernetes.io/component") === "database-roles")
      .flatMap((job) => {
        if (scope === undefined) return [];
        const namespace = job.metadata.namespace ?? "default";
        const serviceAccount = String(at(job, "spec", "template", "spec", "serviceAccountName") ?? "default");
        const env = jobEnv(job);
        const secretArns = Object.entries(env)
          .filter(([k]) => /^SEMESTER_SHARD_\d+_SECRET_ARN$/.test(k))
          .map(([, v]) => v);
        const exists = idx
          .objects(region, "ServiceAccount", namespace)
          .some((s) => s.metadata.name === serviceAccount);
        return [
          {
            region,
            namespace,
            serviceAccount,
            runsAs: exists
              ? {
                  ok: true as const,
                  via: `Job ${namespace}/${job.metadata.name} as ServiceAccount ${serviceAccount}`,
                }
              : { ok: false as const, missing: `no ServiceAccount ${namespace}/${serviceAccount}` },
            checks: databaseRolesCallChecks(scope, { secretArns }),
          },
        ];
      });
  });
}

/** The principals whose calls the analysis proves. */
export function principals(
  idx: PlanIndex,
  bindings: readonly ServiceBinding[] = serviceBindings(idx),
): Principal[] {
  return [
    ...controllerPrincipals(idx),
    ...servicePrincipals(idx, bindings),
    ...kedaPrincipals(idx, bindings),
    ...externalDnsPrincipals(idx),
    ...databaseRolePrincipals(idx),
    ...observabilityPrincipals(idx, (region) => clusterScope(idx, region)),
  ];
}
