/**
 * The contract of a node placeholder pod (calendar pre-provisioning, `kubernetes/placeholder.ts`), shared by the
 * pods that carry it and the governance rule that exempts exactly them from probes: a pause container serves
 * nothing a probe could ask, and it is only exempt when every container runs this one image.
 */
export const PLACEHOLDER_POD = {
  /**
   * The pod-sandbox image of current Kubernetes (kubeadm's default since 1.31), pinned, from the Kubernetes
   * registry (an allowed registry by default): a static binary that sleeps until signalled, using no CPU.
   */
  image: "registry.k8s.io/pause:3.10",
  /** The label that marks a placeholder's pods (and nothing else). */
  roleLabel: "semester.dev/role",
  roleValue: "placeholder",
  /** Its PriorityClass: below every tier and below pods without one (0), never preempting. */
  priorityClassName: "semester-placeholder",
  priority: -10,
} as const;
