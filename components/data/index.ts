/** The data tier: Kafka, Redis and sharded Postgres per region, replicated across regions, with CQRS bindings. */
export { dataSchema, DATA_DEFAULTS, KAFKA_ZONES } from "./config";
export type { DataConfig, DataConfigInput, KafkaConfig, RedisConfig, PostgresConfig } from "./config";
export { DataTier, resolveDataTier, shortRegion } from "./data-tier";
export type { DataTierArgs, DataTierSettings } from "./data-tier";
export { bindingConfigMaps, bindingContractProblems, publishedKeys } from "./binding-config-maps";
export type { BindingConfigMap, DataConsumers } from "./binding-config-maps";
export { STRIMZI_CHART } from "./kafka/strimzi-operator";
export type { StrimziMovedFrom } from "./kafka/strimzi-operator";
export { POSTGRES_IAM_USERS } from "./cqrs";
export type {
  RegionBindings,
  WriteBinding,
  ReadBinding,
  PostgresBinding,
  KafkaBinding,
  RedisBinding,
} from "./cqrs";
export { TOPIC_CATALOG, TOPIC_NAMES, resolveTopics, topicProblems, CleanupPolicy } from "./kafka/catalog";
export type { TopicName, TopicSpec, ResolvedTopic } from "./kafka/catalog";
export { MskCluster, MSK_SERVER_PROPERTIES } from "./kafka/msk-cluster";
export { MskReplicator } from "./kafka/replicator";
export { KafkaTopics } from "./kafka/topics";
export { strimziObjects, strimziBootstrap, STRIMZI_API_VERSION } from "./kafka/strimzi";
export { RedisReplicationGroup } from "./redis/replication-group";
export { RedisGlobalDatastore } from "./redis/global-datastore";
export { AuroraShard } from "./postgres/aurora-shard";
export { AuroraGlobalDatabase } from "./postgres/global-database";
export {
  shardMap,
  reshardPlan,
  reshardSummary,
  minimumMoves,
  bucketOf,
  shardOf,
  shardRanges,
  DEFAULT_BUCKETS,
} from "./postgres/shard-map";
export type { ShardMap, ReshardPlan, BucketMove } from "./postgres/shard-map";
export { DataSecurityGroups, DataPorts } from "./network";
export { DataKey } from "./keys";
export { ShardMapPublication, shardMapDocument } from "./publish";
export type { ConfigMapObject, ShardMapDocument } from "./publish";
export { kafkaSchema, postgresSchema, redisSchema, topicsSchema } from "./config";
export { writeTargets } from "./cqrs";
export type { PostgresPrimary } from "./data-tier";
export { knownTopicProblems } from "./kafka/catalog";
export { STRIMZI_TLS_PORT } from "./kafka/strimzi";
export { dataNamespaceObjects, roleBootstrapObjects, roleBootstrapPolicy } from "./postgres/role-bootstrap";
export { homeRegionProblems } from "./settings";
export { capacitySchedule } from "./scaling/capacity-schedule";
export type { CapacitySchedule, CapacityAction, CapacityScheduleInput } from "./scaling/capacity-schedule";
export { dataScalingPlan } from "./scaling/plan";
export type { ReadLoad, StoreScalingPlan } from "./scaling/plan";
export { ScheduledCapacity, atSchedule, actionName } from "./scaling/scheduled-capacity";
export { SCALING_TARGETS, MAX_SCHEDULED_ACTIONS, serviceLinkedRoleArn } from "./scaling/targets";
export type { ScalingStore } from "./scaling/targets";
export {
  DATA_WINDOW_KEYS,
  MINIMUM_MINUTES,
  WINDOW_PERIOD,
  dailyWindow,
  overlaps,
  weeklyWindow,
  windowIntervals,
  type DataWindowKey,
} from "./windows";
export { QUIET_WEEK, chooseSlot, scoreIntervals, type WeekProfile } from "./window-chooser";
export {
  STATIC_WINDOWS,
  chooseDataWindows,
  pinnedWindows,
  windowPairProblems,
  windowTexts,
  type ChosenWindow,
  type DataWindows,
  type RegionWindows,
} from "./data-windows";
export { strimziMaintenanceTimeWindows } from "./kafka/strimzi-maintenance";
