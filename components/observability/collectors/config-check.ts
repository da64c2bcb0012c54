/**
 * A static check of an OpenTelemetry Collector configuration, the mistakes a collector only reports when its pod
 * starts (or, for an unused declaration, never): a pipeline naming a component nobody declared, an extension
 * declared but not started, a component type the distribution does not contain. Pure.
 */
import type { Problem } from "../../core";
import { COMPONENT_KINDS, CONTRIB_COMPONENTS, type ComponentKind } from "./distribution";

/** @internal A collector configuration: the `spec.config` of an OpenTelemetryCollector. */
export interface CollectorConfig {
  readonly receivers?: Readonly<Record<string, unknown>>;
  readonly processors?: Readonly<Record<string, unknown>>;
  readonly exporters?: Readonly<Record<string, unknown>>;
  readonly extensions?: Readonly<Record<string, unknown>>;
  readonly connectors?: Readonly<Record<string, unknown>>;
  readonly service: {
    readonly extensions?: readonly string[];
    readonly pipelines: Readonly<
      Record<
        string,
        {
          readonly receivers: readonly string[];
          readonly processors?: readonly string[];
          readonly exporters: readonly string[];
        }
      >
    >;
    readonly telemetry?: Readonly<Record<string, unknown>>;
  };
}

/** @internal A component id's type: `otlp` for `otlp`, `resource` for `resource/traces` (the collector's `type[/name]`). */
export function componentType(id: string): string {
  const slash = id.indexOf("/");
  return slash < 0 ? id : id.slice(0, slash);
}

/** Where a pipeline's component may be declared: connectors act as exporters of one pipeline, receivers of another. */
const PIPELINE_ROLES: Readonly<Record<"receivers" | "processors" | "exporters", readonly ComponentKind[]>> = {
  receivers: ["receivers", "connectors"],
  processors: ["processors"],
  exporters: ["exporters", "connectors"],
};

/** Extension ids a component's settings refer to (`auth.authenticator`), which must be started too. */
function referencedExtensions(settings: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (key === "authenticator" && typeof value === "string") found.push(value);
      else walk(value);
    }
  };
  walk(settings);
  return found;
}

/** @internal
 * Every problem of `config` (empty when it is sound), against the component types of `distribution` (by
 * default the contrib distribution Semester runs, `CONTRIB_COMPONENTS`):
 * - every receiver, processor and exporter a pipeline names is declared (in its kind, or as a connector);
 * - every declared extension is in `service.extensions`, and so is every extension a component authenticates with;
 * - every extension `service.extensions` starts is declared;
 * - every declared component's type is in the distribution;
 * - every declared receiver, processor, exporter and connector is used by some pipeline (the collector ignores it
 *   otherwise, so a setting there is silently dead).
 */
export function collectorConfigProblems(
  config: CollectorConfig,
  distribution: Readonly<Record<ComponentKind, Readonly<Record<string, string>>>> = CONTRIB_COMPONENTS,
): Problem[] {
  const problems: Problem[] = [];
  const declared = (kind: ComponentKind): readonly string[] => Object.keys(config[kind] ?? {});

  for (const kind of COMPONENT_KINDS) {
    for (const id of declared(kind)) {
      const type = componentType(id);
      if (distribution[kind][type] === undefined) {
        problems.push({
          path: `${kind}.${id}`,
          value: type,
          rule: `the collector distribution has no ${kind.slice(0, -1)} of type "${type}"; it has: ${Object.keys(distribution[kind]).sort().join(", ")}`,
          fix: "use a component the distribution builds, or add it to CONTRIB_COMPONENTS after checking the manifest",
        });
      }
    }
  }

  const used = new Set<string>();
  for (const [pipeline, spec] of Object.entries(config.service.pipelines)) {
    for (const role of ["receivers", "processors", "exporters"] as const) {
      const ids = spec[role] ?? [];
      ids.forEach((id, i) => {
        const kinds = PIPELINE_ROLES[role];
        const kind = kinds.find((k) => declared(k).includes(id));
        if (kind === undefined) {
          problems.push({
            path: `service.pipelines.${pipeline}.${role}[${i}]`,
            value: id,
            rule: `names a ${role.slice(0, -1)} that is not declared under ${kinds.join(" or ")}`,
          });
        } else {
          used.add(`${kind}.${id}`);
        }
      });
    }
  }
  for (const kind of ["receivers", "processors", "exporters", "connectors"] as const) {
    for (const id of declared(kind)) {
      if (!used.has(`${kind}.${id}`)) {
        problems.push({
          path: `${kind}.${id}`,
          value: id,
          rule: "is declared but no pipeline uses it (the collector ignores it)",
        });
      }
    }
  }

  const started = config.service.extensions ?? [];
  started.forEach((id, i) => {
    if (!declared("extensions").includes(id)) {
      problems.push({
        path: `service.extensions[${i}]`,
        value: id,
        rule: "starts an extension that is not declared under extensions",
      });
    }
  });
  for (const id of declared("extensions")) {
    if (!started.includes(id)) {
      problems.push({
        path: `extensions.${id}`,
        value: id,
        rule: "is declared but not in service.extensions, so it never starts",
      });
    }
  }
  for (const kind of ["receivers", "exporters"] as const) {
    for (const [id, settings] of Object.entries(config[kind] ?? {})) {
      for (const ext of referencedExtensions(settings)) {
        if (!started.includes(ext)) {
          problems.push({
            path: `${kind}.${id}.auth.authenticator`,
            value: ext,
            rule: "authenticates with an extension that service.extensions does not start",
          });
        }
      }
    }
  }
  return problems;
}
