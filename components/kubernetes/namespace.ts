/**
 * A workload namespace: Pod Security Standards `restricted` enforced by the API server, a default-deny
 * NetworkPolicy for all ingress and egress, and the one allow every pod needs (DNS). Each `LearningService`
 * adds its own explicit allows.
 */
import { Construct } from "constructs";
import { IntOrString, KubeNamespace, KubeNetworkPolicy } from "cdk8s-plus-28/lib/imports/k8s";
import { INJECTION_LABEL } from "../mesh";

export interface LearningNamespaceProps {
  /** Namespace name. */
  readonly name: string;
  /** Labels added to every object. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** Pod Security Standards level enforced on the namespace. @default "restricted" */
  readonly podSecurity?: "restricted" | "baseline";
  /** Allow DNS lookups to kube-dns (without it, default-deny egress breaks name resolution). @default true */
  readonly allowDns?: boolean;
  /** Label the namespace for Istio sidecar injection (`istio-injection: enabled`). @default false */
  readonly meshInjection?: boolean;
}

/** Names of the namespace-wide NetworkPolicies. */
export const DEFAULT_DENY_POLICY = "default-deny-all";
export const ALLOW_DNS_POLICY = "allow-dns-egress";

export class LearningNamespace extends Construct {
  /** The namespace name. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: LearningNamespaceProps) {
    super(scope, id);
    this.name = props.name;
    const level = props.podSecurity ?? "restricted";
    const labels = props.labels ?? {};

    new KubeNamespace(this, "namespace", {
      metadata: {
        name: props.name,
        labels: {
          ...labels,
          "kubernetes.io/metadata.name": props.name,
          "pod-security.kubernetes.io/enforce": level,
          "pod-security.kubernetes.io/enforce-version": "latest",
          "pod-security.kubernetes.io/audit": level,
          "pod-security.kubernetes.io/warn": level,
          ...((props.meshInjection ?? false) ? INJECTION_LABEL : {}),
        },
      },
    });

    new KubeNetworkPolicy(this, "default-deny", {
      metadata: { name: DEFAULT_DENY_POLICY, namespace: props.name, labels },
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    });

    if (props.allowDns ?? true) {
      new KubeNetworkPolicy(this, "allow-dns", {
        metadata: { name: ALLOW_DNS_POLICY, namespace: props.name, labels },
        spec: {
          podSelector: {},
          policyTypes: ["Egress"],
          egress: [
            {
              to: [
                {
                  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
                  podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
                },
              ],
              ports: [
                { protocol: "UDP", port: IntOrString.fromNumber(53) },
                { protocol: "TCP", port: IntOrString.fromNumber(53) },
              ],
            },
          ],
        },
      });
    }
  }
}
