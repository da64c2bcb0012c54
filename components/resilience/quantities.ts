/** Kubernetes CPU and memory quantities as integers (millicores, bytes) and back. Pure. */

/** `250m` → 250, `2` → 2000, `1.5` → 1500. */
export function millicores(q: string): number {
  if (q.endsWith("m")) return Number(q.slice(0, -1));
  return Math.round(Number(q) * 1000);
}

const BINARY: Readonly<Record<string, number>> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };

/** `512Mi` → 536870912. Plain integers are bytes. */
export function bytes(q: string): number {
  const m = /^([0-9]+)(Ki|Mi|Gi|Ti)?$/.exec(q);
  if (!m) throw new Error(`not a memory quantity: ${q}`);
  return Number(m[1]) * (m[2] ? BINARY[m[2]]! : 1);
}

/** Millicores as a quantity (`1500m`). */
export const cpuQuantity = (m: number): string => `${m}m`;
/** Bytes as a quantity in Mi, rounded up (`1536Mi`). */
export const memoryQuantity = (b: number): string => `${Math.ceil(b / 2 ** 20)}Mi`;
