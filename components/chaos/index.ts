/** Chaos GameDays as code: typed experiments compiled to AWS FIS templates and Chaos Mesh Schedules, scheduled clear of learners. */
export {
  CHAOS_MESH_FAULTS,
  FIS_FAULTS,
  STOP_CONDITION,
  engineOf,
  experimentSchema,
  gameDaysSchema,
  type ExperimentConfig,
  type ExperimentInput,
  type Fault,
  type GameDaysConfig,
  type GameDaysInput,
} from "./config";
export { DEFAULT_EXPERIMENTS_INPUT } from "./catalogue";
export {
  CHAOS_DAEMON_EXCEPTED_RULES,
  CHAOS_MESH_ADDON_EXCEPTED_RULES,
  CHAOS_MESH_CHART,
  CHAOS_MESH_NAMESPACE,
  chaosMeshExceptions,
  chaosMeshSchedules,
  chaosMeshValues,
  cronAt,
} from "./chaos-mesh";
export { fisRolePolicy, schedulerRolePolicy, serviceTrustPolicy } from "./fis-policy";
export { fisTemplateSpec, usesEksPods } from "./fis-template";
export {
  EXCEPTION_NAMESPACE,
  FIS_POD_EXCEPTED_RULES,
  FIS_SERVICE_ACCOUNT,
  FIS_USERNAME,
  fisNamespaceObjects,
  fisPodUser,
  fisPolicyExceptions,
} from "./kubernetes-objects";
export { RegionGameDays, enabledExperiments, logsKeyPolicy } from "./region-game-days";
export type { RegionGameDaysArgs } from "./region-game-days";
export {
  gameDayProblems,
  gameDayReservations,
  practiceRunWindows,
  resolveSchedule,
  type ResolvedSchedule,
} from "./rules";
export {
  SLOT_STEP_MS,
  iso,
  parseWeeklyWindow,
  planSlots,
  slotConflict,
  slotProblems,
  weeklyOccurrences,
  type PlannedSlot,
  type SlotConstraints,
  type SlotPlan,
  type WeeklyWindow,
} from "./scheduling";
export {
  deniedAfterExceptions,
  exceptionApplies,
  withFisEphemeralContainer,
  type AdmissionRequest,
} from "./admission";
