/** EKS control plane and node guardrails. */
import type { GovernanceConfig } from "../../components/governance";
import { asList, get, isTrue, resourcePolicy, type SemesterPolicy } from "./common";

export const EKS_CLUSTER = "aws:eks/cluster:Cluster";
export const EKS_NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
export const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";

/** Control-plane log types every cluster ships. */
export const REQUIRED_CLUSTER_LOGS = ["api", "audit", "authenticator"] as const;

export function computePolicies(config: GovernanceConfig): SemesterPolicy[] {
  return [
    resourcePolicy(config, {
      name: "eks-private-endpoint",
      description: "EKS API endpoints must be private, public only with an explicit CIDR allow-list.",
      severity: "critical",
      types: [EKS_CLUSTER],
      check: (props, _args, report) => {
        const vpc = get(props, "vpcConfig");
        if (get(vpc, "endpointPrivateAccess") !== true) {
          report(
            "the API endpoint must be reachable privately; set vpcConfig.endpointPrivateAccess to true.",
          );
        }
        // EKS makes the endpoint public when endpointPublicAccess is left unset.
        if (get(vpc, "endpointPublicAccess") !== false) {
          const cidrs = asList(get(vpc, "publicAccessCidrs"));
          if (cidrs.length === 0 || cidrs.some((c) => c === "0.0.0.0/0" || c === "::/0")) {
            report(
              "a public API endpoint needs an explicit CIDR allow-list; set vpcConfig.endpointPublicAccess to false " +
                "or list the allowed networks in vpcConfig.publicAccessCidrs (not 0.0.0.0/0).",
            );
          }
        }
      },
    }),
    resourcePolicy(config, {
      name: "eks-control-plane-logs",
      description: `EKS clusters must ship the ${REQUIRED_CLUSTER_LOGS.join(", ")} control-plane logs.`,
      severity: "high",
      types: [EKS_CLUSTER],
      check: (props, _args, report) => {
        const enabled = asList(props.enabledClusterLogTypes);
        const missing = REQUIRED_CLUSTER_LOGS.filter((t) => !enabled.includes(t));
        if (missing.length > 0) {
          report(`control-plane logs ${missing.join(", ")} are off; add them to enabledClusterLogTypes.`);
        }
      },
    }),
    resourcePolicy(config, {
      name: "eks-secrets-encryption",
      description: "EKS clusters must envelope-encrypt Kubernetes secrets with a KMS key.",
      severity: "high",
      types: [EKS_CLUSTER],
      check: (props, _args, report) => {
        const enc = props.encryptionConfig;
        if (
          !asList(get(enc, "resources")).includes("secrets") ||
          get(enc, "provider", "keyArn") === undefined
        ) {
          report(
            'secrets are not envelope-encrypted; set encryptionConfig to {resources: ["secrets"], provider: {keyArn}}.',
          );
        }
      },
    }),
    resourcePolicy(config, {
      name: "eks-zonal-shift",
      description: "EKS clusters must enable zonal shift so traffic can leave an impaired zone.",
      severity: "medium",
      types: [EKS_CLUSTER],
      check: (props, _args, report) => {
        if (get(props, "zonalShiftConfig", "enabled") !== true) {
          report("zonal shift is off; set zonalShiftConfig.enabled to true.");
        }
      },
    }),
    resourcePolicy(config, {
      name: "node-imdsv2",
      description: "Nodes must require IMDSv2 with a hop limit of 1, through a launch template.",
      severity: "high",
      types: [LAUNCH_TEMPLATE, EKS_NODE_GROUP],
      check: (props, args, report) => {
        if (args.type === EKS_NODE_GROUP) {
          if (props.launchTemplate === undefined) {
            report(
              "the node group has no launch template, so IMDSv2 cannot be enforced; set launchTemplate.",
            );
          }
          return;
        }
        const md = props.metadataOptions;
        if (get(md, "httpTokens") !== "required" || get(md, "httpPutResponseHopLimit") !== 1) {
          report(
            "instance metadata must require IMDSv2 with hop limit 1; set metadataOptions.httpTokens to " +
              '"required" and metadataOptions.httpPutResponseHopLimit to 1.',
          );
        }
      },
    }),
    resourcePolicy(config, {
      name: "node-encrypted-volumes",
      description: "Node volumes must be encrypted.",
      severity: "high",
      types: [LAUNCH_TEMPLATE],
      check: (props, _args, report) => {
        const mappings = asList(props.blockDeviceMappings);
        if (
          mappings.length === 0 ||
          mappings.some((m) => get(m, "ebs") !== undefined && !isTrue(get(m, "ebs", "encrypted")))
        ) {
          report('node volumes must be encrypted; declare blockDeviceMappings with ebs.encrypted "true".');
        }
      },
    }),
  ];
}
