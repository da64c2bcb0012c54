/**
 * The one safety rule of delivery, shared by the plan and the CrossGuard pack: a Rollout must be gated by an
 * analysis, or a bad version is promoted on a timer and nothing rolls it back. Pure.
 */

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const hasTemplates = (analysis: unknown): boolean =>
  isRecord(analysis) && Array.isArray(analysis.templates) && analysis.templates.length > 0;

/**
 * Why a Rollout object is not gated by analysis, or `undefined` when it is: a canary needs an analysis step (or a
 * background analysis), a blue-green needs a `prePromotionAnalysis`. The message names the object.
 */
export function rolloutAnalysisProblem(obj: unknown): string | undefined {
  if (!isRecord(obj) || obj.kind !== "Rollout") return undefined;
  const meta = isRecord(obj.metadata) ? obj.metadata : {};
  const id = `Rollout ${String(meta.namespace ?? "default")}/${String(meta.name ?? "?")}`;
  const spec = isRecord(obj.spec) ? obj.spec : {};
  const strategy = isRecord(spec.strategy) ? spec.strategy : {};
  if (isRecord(strategy.blueGreen)) {
    return hasTemplates(strategy.blueGreen.prePromotionAnalysis)
      ? undefined
      : `${id}: blue-green without prePromotionAnalysis promotes an unchecked version; add the service's AnalysisTemplate`;
  }
  if (isRecord(strategy.canary)) {
    const canary = strategy.canary;
    const steps = Array.isArray(canary.steps) ? canary.steps : [];
    const gated = hasTemplates(canary.analysis) || steps.some((s) => isRecord(s) && hasTemplates(s.analysis));
    return gated
      ? undefined
      : `${id}: canary steps without an analysis step promote on a timer and never roll back; add an analysis step`;
  }
  return `${id}: no canary or blueGreen strategy`;
}
