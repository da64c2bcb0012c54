/** The TriggerAuthentication a trigger references when it signs in through EKS Pod Identity. */
import { Construct } from "constructs";
import { ApiObject } from "cdk8s";
import { KEDA_API_VERSION } from "./types";

export interface PodIdentityTriggerAuthProps {
  readonly name: string;
  readonly namespace: string;
  /** Which identity KEDA uses: its operator's (bound through Pod Identity) or the workload's. @default "keda" */
  readonly identityOwner?: "keda" | "workload";
  /** @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A TriggerAuthentication using KEDA's `aws` pod identity provider (EKS Pod Identity). */
export class PodIdentityTriggerAuthentication extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: PodIdentityTriggerAuthProps) {
    super(scope, id);
    this.name = props.name;
    new ApiObject(this, "trigger-authentication", {
      apiVersion: KEDA_API_VERSION,
      kind: "TriggerAuthentication",
      metadata: { name: props.name, namespace: props.namespace, labels: { ...props.labels } },
      spec: { podIdentity: { provider: "aws", identityOwner: props.identityOwner ?? "keda" } },
    });
  }
}
