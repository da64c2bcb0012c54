import * as pulumi from "@pulumi/pulumi";
import { invokeOutputs, resourceOutputs } from "./fixtures";
import type { PlannedResource } from "./record";

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProvider(): string;
  getCustom(): boolean;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): {
    forEach(fn: (value: { getUrnsList(): string[] }, key: string) => void): void;
  };
}

interface MockMonitorLike {
  registerResource(req: RegisterRequest, callback: (err: unknown, res: unknown) => void): Promise<void>;
  newUrn(parent: string, type: string, name: string): string;
}

interface Registration {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly parent: string | null;
  /** The provider reference `urn::id`, or "" when the default provider is used. */
  readonly provider: string;
  readonly custom: boolean;
  readonly inputs: Record<string, unknown>;
  id?: string;
  outputs?: Record<string, unknown>;
  readonly dependencies: string[];
  readonly propertyDependencies: Record<string, string[]>;
}

const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/**
 * Records every resource the program registers under the SDK's mock monitor. The monitor hands the mocks
 * no parent, so the recorder wraps `registerResource` to see the request; the SDK version is pinned
 * (package.json), and a test fails if the wrapped method's shape changes.
 */
export class PlanRecorder implements pulumi.runtime.Mocks {
  private readonly registrations = new Map<string, Registration>();
  private current: RegisterRequest | undefined;
  private monitor: MockMonitorLike | undefined;

  /** Waits until every registration the program started has been answered (an SDK-internal call). */
  static async settle(): Promise<void> {
    await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
  }

  /** Installs the mocks and the monitor hook. Call before the program creates any resource. */
  async install(project: string, stack: string): Promise<void> {
    await pulumi.runtime.setMocks(this, project, stack, false);
    const monitor = pulumi.runtime.getMonitor() as unknown as MockMonitorLike;
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => {
      this.current = req; // newResource runs synchronously inside, before the first await
      return original(req, callback);
    };
    this.monitor = monitor;
  }

  newResource(args: pulumi.runtime.MockResourceArgs): {
    id: string | undefined;
    state: Record<string, unknown>;
  } {
    const req = this.current;
    if (!req || !this.monitor)
      throw new Error("offline plan: resource registered before the recorder was installed");
    const parent = req.getParent() || null;
    const urn = this.monitor.newUrn(req.getParent(), args.type, args.name);
    const inputs = redactSecrets(args.inputs) as Record<string, unknown>;
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((value, key) => {
      propertyDependencies[key] = [...value.getUrnsList()].sort();
    });
    const registration: Registration = {
      type: args.type,
      name: args.name,
      urn,
      parent,
      provider: args.provider ?? "",
      custom: args.custom ?? false,
      inputs,
      dependencies: [...req.getDependenciesList()].sort(),
      propertyDependencies,
    };
    this.registrations.set(urn, registration);
    if (!args.custom) return { id: undefined, state: {} };
    const region = this.regionOfProviderRef(
      args.provider ?? "",
      args.type === "pulumi:providers:aws" ? inputs : undefined,
    );
    const outputs = resourceOutputs(args.type, args.name, urn, args.inputs, region);
    registration.id = outputs.id;
    registration.outputs = computedOutputs(inputs, outputs.state);
    return outputs;
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    return invokeOutputs(
      args.token,
      this.regionOfProviderRef(args.provider ?? "", undefined),
      args.inputs,
      (type, id) => {
        for (const r of this.registrations.values()) if (r.type === type && r.id === id) return r.inputs;
        return undefined;
      },
    );
  }

  /** Every registered resource with its region, sorted by URN so two runs give the same order. */
  resources(): PlannedResource[] {
    return [...this.registrations.values()]
      .map((r) => ({
        type: r.type,
        name: r.name,
        urn: r.urn,
        parent: r.parent,
        region: this.regionOf(r),
        custom: r.custom,
        inputs: r.inputs,
        ...(r.id !== undefined ? { id: r.id } : {}),
        ...(r.outputs !== undefined ? { outputs: r.outputs } : {}),
        ...(r.provider ? { provider: r.provider.split("::").slice(0, -1).join("::") } : {}),
        dependencies: r.dependencies,
        propertyDependencies: r.propertyDependencies,
      }))
      .sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
  }

  /**
   * A resource's region: its AWS provider's region; for resources of another provider (Kubernetes),
   * the region of the component that created that provider, i.e. the region whose AWS provider is a
   * sibling of it. Components and provider-less resources have none.
   */
  private regionOf(r: Registration): string | null {
    if (r.type === "pulumi:providers:aws")
      return typeof r.inputs.region === "string" ? r.inputs.region : null;
    if (r.type.startsWith("pulumi:providers:")) return this.regionOfScope(r.parent);
    if (!r.custom) return null;
    return this.regionOfProviderRef(r.provider, undefined);
  }

  private regionOfProviderRef(ref: string, ownInputs: Record<string, unknown> | undefined): string | null {
    if (ownInputs) return typeof ownInputs.region === "string" ? ownInputs.region : null;
    const urn = ref.split("::").slice(0, -1).join("::");
    const provider = this.registrations.get(urn);
    return provider ? this.regionOf(provider) : null;
  }

  private regionOfScope(parent: string | null): string | null {
    for (let scope = parent; scope; scope = this.registrations.get(scope)?.parent ?? null) {
      for (const r of this.registrations.values()) {
        if (r.parent === scope && r.type === "pulumi:providers:aws") return this.regionOf(r);
      }
    }
    return null;
  }
}

/** The state keys the mock computed or changed (inputs echoed back unchanged are left out). */
function computedOutputs(
  inputs: Record<string, unknown>,
  state: Record<string, unknown>,
): Record<string, unknown> {
  const redacted = redactSecrets(state) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(redacted).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(inputs[k])),
  );
}

/** Secrets are recorded as "[secret]": the plan files must never hold a secret value. */
function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record[SECRET_SIG] === "1b47061264138c4ac30d75fd1eb44270") return "[secret]";
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, redactSecrets(v)]));
  }
  return value;
}
