/**
 * The rules of one service's scaling settings, defined once: `LearningChart` checks its `services` argument with
 * them and the stack config loader checks `semester:services` with them, each under its own key path. Pure.
 *
 * A service must scale on a trigger of its own (cpu, memory, prometheus or kafka). The calendar's cron triggers
 * do not count: they exist only for windows inside the compiled horizon (none between terms, none in a region
 * without events, none with `semester:calendar.enabled: false`), so a service that relied on them would get a
 * ScaledObject with no trigger, which KEDA rejects, on whichever refresh happens to have no window.
 */
import { DATA_ENV, joinPath, type Problem } from "../core";
import { ownsConsumerGroup, type ServiceConfig, type ServiceName } from "./config";
import { NO_FALLBACK_TRIGGER_TYPES } from "./keda";

export interface ScalingRuleOptions {
  /**
   * Kafka lag triggers name the brokers literally (a chart given `kafkaBootstrapServers`) instead of reading them
   * from the data binding's env. @default false (a stack's services read them from their binding)
   */
  readonly literalBrokers?: boolean;
  /** A PromQL endpoint exists for `requestRate` triggers to read. @default false */
  readonly promqlEndpoint?: boolean;
  /** How to provide one, for the message when it is missing. @default "give the chart a `promql` endpoint" */
  readonly promqlFix?: string;
}

/** The KEDA trigger types a service's own scaling settings ask for, in the order the chart emits them. */
export function ownTriggerTypes(scaling: ServiceConfig["scaling"]): string[] {
  return [
    ...(scaling.cpuUtilization !== null ? ["cpu"] : []),
    ...(scaling.memoryUtilization !== null ? ["memory"] : []),
    ...(scaling.prometheus !== undefined ? ["prometheus"] : []),
    ...(scaling.requestRate !== undefined ? ["prometheus"] : []),
    ...(scaling.kafka !== undefined ? ["apache-kafka"] : []),
  ];
}

/** Every problem of one service's scaling; `prefix` is where the service sits (`semester:services.enrollment`). */
export function serviceScalingProblems(
  name: ServiceName,
  service: ServiceConfig,
  prefix: string,
  options: ScalingRuleOptions = {},
): Problem[] {
  const scaling = service.scaling;
  const problems: Problem[] = [];
  if (scaling.kafka !== undefined && service.dataAccess === "none" && options.literalBrokers !== true) {
    problems.push({
      path: joinPath(prefix, ["dataAccess"]),
      value: service.dataAccess,
      rule: `its Kafka lag trigger (\`scaling.kafka\`) reads the MSK brokers from the data binding's \`${DATA_ENV.kafkaBootstrapServers}\`, which \`none\` does not get`,
      fix: "set it to `write` or `read`, or scale the service on cpu, memory or prometheus",
    });
  }
  if (scaling.kafka !== undefined && !ownsConsumerGroup(name, scaling.kafka.consumerGroup)) {
    problems.push({
      path: joinPath(prefix, ["scaling", "kafka", "consumerGroup"]),
      value: scaling.kafka.consumerGroup,
      rule: `must be \`${name}\` or start with \`${name}-\`: a service's IAM role may use only its own consumer groups`,
    });
  }
  if (scaling.requestRate !== undefined && options.promqlEndpoint !== true) {
    problems.push({
      path: joinPath(prefix, ["scaling", "requestRate"]),
      value: scaling.requestRate,
      rule: "reads the request rate from the platform's PromQL endpoint, and there is none",
      fix: `${options.promqlFix ?? "give the chart a `promql` endpoint"}, or remove requestRate and set cpuUtilization`,
    });
  }
  const types = ownTriggerTypes(scaling);
  if (types.length === 0) {
    problems.push({
      path: joinPath(prefix, ["scaling"]),
      value: scaling,
      rule: "yields no trigger: cpuUtilization and memoryUtilization are null and none of prometheus, requestRate and kafka is set (the calendar's cron triggers do not count: none exist outside its windows)",
      fix: "set cpuUtilization, memoryUtilization, prometheus, requestRate or kafka",
    });
  }
  const blocking = types.filter((t) => NO_FALLBACK_TRIGGER_TYPES.includes(t));
  if (scaling.fallbackReplicas !== undefined && blocking.length > 0) {
    problems.push({
      path: joinPath(prefix, ["scaling", "fallbackReplicas"]),
      value: scaling.fallbackReplicas,
      rule: `KEDA allows no fallback on a ScaledObject with ${blocking.join("/")} triggers`,
      fix: "set scaling.cpuUtilization and scaling.memoryUtilization to null, or remove fallbackReplicas",
    });
  }
  return problems;
}
