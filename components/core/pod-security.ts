/**
 * The container security context the Pod Security Standards "restricted" profile asks for (and the governance
 * rules check): no privilege or escalation, read-only root, non-root, no capabilities, RuntimeDefault seccomp.
 */
export const RESTRICTED_CONTAINER_SECURITY_CONTEXT = {
  allowPrivilegeEscalation: false,
  privileged: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
} as const;
