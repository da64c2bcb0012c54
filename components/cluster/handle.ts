import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** Binds a Kubernetes service account to an IAM role through EKS Pod Identity. */
export interface ServiceAccountBindingArgs {
  /** Namespace of the service account. */
  readonly namespace: string;
  /** Name of the service account. */
  readonly serviceAccount: string;
  /** Managed policy ARNs to attach to the role. @default [] */
  readonly managedPolicyArns?: readonly pulumi.Input<string>[];
  /** An inline IAM policy document (JSON) for the role. @default none */
  readonly inlinePolicy?: pulumi.Input<string>;
  /**
   * Further inline policy documents (JSON), one role policy each (`<name>-role-<i>`), next to `inlinePolicy`: a
   * service account has one Pod Identity association, so everything its pods need goes on this one role.
   * @default []
   */
  readonly inlinePolicies?: readonly pulumi.Input<string>[];
}

export interface ServiceAccountBinding {
  readonly role: aws.iam.Role;
  readonly association: aws.eks.PodIdentityAssociation;
}

/**
 * What later layers (Kubernetes workloads, data tier, governance) need from a regional cluster.
 * RegionalCluster implements it; tests can fake it.
 */
export interface ClusterHandle {
  /** AWS region, for example `eu-west-2`. */
  readonly region: string;
  /** The explicit AWS provider of this region: every AWS resource of the region uses it. */
  readonly awsProvider: aws.Provider;
  /** The Kubernetes provider bound to this cluster: everything that goes into the cluster uses it. */
  readonly kubernetesProvider: k8s.Provider;
  readonly clusterName: pulumi.Output<string>;
  /** The AWS partition (`aws`, `aws-cn`, ...) and account of the cluster, for the ARNs its IAM policies name. */
  readonly partition: pulumi.Output<string>;
  readonly accountId: pulumi.Output<string>;
  readonly vpcId: pulumi.Output<string>;
  /** The VPC's range (plain: NetworkPolicies, security groups and routes are built from it). */
  readonly vpcCidr: string;
  readonly privateSubnetIds: pulumi.Output<string>[];
  /** Ranges of the private subnets, by zone: where pods, nodes and data stores get their addresses. */
  readonly privateSubnetCidrs: readonly string[];
  /** Route tables of the private subnets, by zone: routes to peered VPCs go into each. */
  readonly privateRouteTableIds: pulumi.Output<string>[];
  /** Security group of the cluster's nodes and pods: data stores admit traffic from this group only. */
  readonly nodeSecurityGroupId: pulumi.Output<string>;
  /** Resources in the cluster that later layers must wait for (Karpenter and its CRDs, add-ons). */
  readonly readiness: pulumi.Resource[];
  /** Creates an IAM role trusted by EKS Pod Identity and associates it with the service account. */
  bindServiceAccount(name: string, args: ServiceAccountBindingArgs): ServiceAccountBinding;
}
