/**
 * Every in-cluster principal of the plan that calls AWS, per region, with the calls it must (and must not) make:
 * the learning services with data bindings, KEDA's operator when a trigger reads MSK lag, ExternalDNS when it is
 * installed, and the controllers whose checks live in `checks/` (load balancer controller, Karpenter, EBS CSI,
 * the database-role bootstrap).
 */
import { serviceBindings } from "./bindings";
import { externalDnsCallChecks, kedaCallChecks, scaledTopic, serviceCallChecks } from "./checks/data-clients";
import { deploymentRunsAs, releaseRunsAs, type Principal } from "./identity";
import { at, PlanIndex } from "./model";
import type { StoreEndpoint } from "./network";

function servicePrincipals(idx: PlanIndex): Principal[] {
  return serviceBindings(idx).map((b) => ({
    region: b.region,
    namespace: b.namespace,
    serviceAccount: b.serviceAccount ?? "default",
    runsAs: deploymentRunsAs(idx, b.region, b.namespace, b.service, b.service),
    checks: serviceCallChecks(idx, b),
  }));
}

function kedaPrincipals(idx: PlanIndex): Principal[] {
  return idx.regions().flatMap((region) => {
    const lag: { store: StoreEndpoint; topic: string; group: string }[] = [];
    for (const b of serviceBindings(idx).filter((x) => x.region === region)) {
      const scaled = scaledTopic(idx, region, b.namespace, b.service);
      const broker = b.endpoints.find((e) => e.kind === "kafka" && e.store !== undefined);
      if (scaled && broker?.store) lag.push({ store: broker.store, ...scaled });
    }
    if (lag.length === 0) return [];
    const release = idx.ofType("kubernetes:helm.sh/v3:Release", region).find((r) => r.inputs.name === "keda");
    const namespace = String(release?.inputs.namespace ?? "keda");
    return [
      {
        region,
        namespace,
        serviceAccount: "keda-operator",
        runsAs: releaseRunsAs(idx, region, "keda", namespace, "keda-operator", [
          "serviceAccount",
          "operator",
          "name",
        ]),
        checks: kedaCallChecks(lag),
      },
    ];
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

/** The principals whose calls the analysis proves. */
export function principals(idx: PlanIndex): Principal[] {
  return [...servicePrincipals(idx), ...kedaPrincipals(idx), ...externalDnsPrincipals(idx)];
}
