import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceAccountBinding, ServiceAccountBindingArgs } from "./handle";
import { trustPolicy } from "./iam";

/**
 * Binds a Kubernetes service account to a new IAM role through EKS Pod Identity: the role trusts
 * `pods.eks.amazonaws.com`, and the association tells the agent which pods may assume it.
 * @internal
 */
export function bindServiceAccount(
  name: string,
  clusterName: pulumi.Input<string>,
  args: ServiceAccountBindingArgs,
  opts: pulumi.CustomResourceOptions,
): ServiceAccountBinding {
  const role = new aws.iam.Role(
    `${name}-role`,
    { assumeRolePolicy: trustPolicy("pods.eks.amazonaws.com") },
    opts,
  );
  (args.managedPolicyArns ?? []).forEach((policyArn, i) => {
    new aws.iam.RolePolicyAttachment(`${name}-role-${i}`, { role: role.name, policyArn }, opts);
  });
  if (args.inlinePolicy !== undefined) {
    new aws.iam.RolePolicy(`${name}-role`, { role: role.name, policy: args.inlinePolicy }, opts);
  }
  (args.inlinePolicies ?? []).forEach((policy, i) => {
    new aws.iam.RolePolicy(`${name}-role-${i}`, { role: role.name, policy }, opts);
  });
  const association = new aws.eks.PodIdentityAssociation(
    `${name}-pod-identity`,
    { clusterName, namespace: args.namespace, serviceAccount: args.serviceAccount, roleArn: role.arn },
    opts,
  );
  return { role, association };
}
