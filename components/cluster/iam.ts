import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** @internal A trust policy letting one AWS service principal assume a role (Pod Identity also needs TagSession). */
export function trustPolicy(service: string): string {
  const actions =
    service === "pods.eks.amazonaws.com" ? ["sts:AssumeRole", "sts:TagSession"] : ["sts:AssumeRole"];
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: actions }],
  });
}

/** @internal Creates a role for a service principal with managed policies attached (`${name}-<suffix>` children). */
export function serviceRole(
  name: string,
  service: string,
  managedPolicyArns: readonly pulumi.Input<string>[],
  opts: pulumi.CustomResourceOptions,
): aws.iam.Role {
  const role = new aws.iam.Role(name, { assumeRolePolicy: trustPolicy(service) }, opts);
  managedPolicyArns.forEach((policyArn, i) => {
    new aws.iam.RolePolicyAttachment(`${name}-${i}`, { role: role.name, policyArn }, opts);
  });
  return role;
}

/** @internal ARN of an AWS managed policy in the given partition. */
export function managedPolicy(partition: pulumi.Input<string>, policy: string): pulumi.Output<string> {
  return pulumi.interpolate`arn:${partition}:iam::aws:policy/${policy}`;
}
