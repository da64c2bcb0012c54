/** A DNS label (RFC 1123): what Kubernetes requires of namespace and many other names. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Whether `value` is a DNS label: lowercase letters, digits and `-`, alphanumeric at both ends, at most 63. */
export function isDnsLabel(value: unknown): value is string {
  return typeof value === "string" && DNS_LABEL.test(value);
}
