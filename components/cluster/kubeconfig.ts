/** @internal Inputs of a kubeconfig for an EKS cluster. */
export interface KubeconfigInputs {
  readonly clusterName: string;
  readonly region: string;
  readonly endpoint: string;
  readonly certificateAuthority: string;
}

/**
 * A kubeconfig that authenticates with `aws eks get-token` (the AWS CLI, with the caller's credentials),
 * so no long-lived token is stored. Returned as JSON text, which kubectl and the Kubernetes provider accept.
 * @internal
 */
export function kubeconfig(inputs: KubeconfigInputs): string {
  const context = `${inputs.clusterName}.${inputs.region}`;
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: context,
        cluster: { server: inputs.endpoint, "certificate-authority-data": inputs.certificateAuthority },
      },
    ],
    contexts: [{ name: context, context: { cluster: context, user: context } }],
    "current-context": context,
    users: [
      {
        name: context,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "aws",
            args: [
              "eks",
              "get-token",
              "--cluster-name",
              inputs.clusterName,
              "--region",
              inputs.region,
              "--output",
              "json",
            ],
            interactiveMode: "Never",
          },
        },
      },
    ],
  });
}
