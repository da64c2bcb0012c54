/**
 * The calendar-refresh workflow template, offline: its triggers and concurrency, and every command it runs exists
 * with flags our CLIs accept, in the order a refresh needs (plan, diff, preview, up, keep the applied plan).
 */
import { readFileSync } from "fs";
import { join } from "path";
import { parse } from "yaml";
import { parseCalendarArgs } from "../../cli/calendar";
import { parsePlanArgs } from "../../cli/plan/args";

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
}
interface Workflow {
  readonly on: Record<string, unknown>;
  readonly concurrency: { group: string; "cancel-in-progress": boolean };
  readonly jobs: { refresh: { strategy: { matrix: { stack: string[] } }; steps: Step[] } };
}

const ROOT = join(__dirname, "../..");
const TEMPLATE = readFileSync(join(ROOT, "templates/github/calendar-refresh.yml"), "utf8");
const SCRIPTS = Object.keys(
  (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> })
    .scripts,
);

/** Every `npm run` of the workflow for `stack`, as [script, argv]. */
function npmRuns(workflow: Workflow, stack: string): [string, string[]][] {
  return workflow.jobs.refresh.steps.flatMap((s) =>
    (s.run ?? "")
      .replaceAll("${{ matrix.stack }}", stack)
      .split("\n")
      .flatMap((line): [string, string[]][] => {
        const m = /npm run (?:--silent )?([\w:-]+)(?: -- (.*))?$/.exec(line.trim());
        return m ? [[m[1]!, (m[2] ?? "").split(/\s+/).filter(Boolean)]] : [];
      }),
  );
}

/** What is wrong with the workflow's commands: unknown scripts and flags our CLIs refuse. */
function commandProblems(workflow: Workflow): string[] {
  const problems: string[] = [];
  for (const stack of workflow.jobs.refresh.strategy.matrix.stack)
    for (const [script, argv] of npmRuns(workflow, stack)) {
      if (!SCRIPTS.includes(script)) problems.push(`npm run ${script}: no such script`);
      const parse = script === "plan" ? parsePlanArgs : script === "calendar" ? parseCalendarArgs : undefined;
      try {
        parse?.(argv);
      } catch (error) {
        problems.push(`npm run ${script} ${argv.join(" ")}: ${(error as Error).message.split("\n")[1]}`);
      }
    }
  return problems;
}

describe("templates/github/calendar-refresh.yml", () => {
  const workflow = parse(TEMPLATE) as Workflow;
  const steps = workflow.jobs.refresh.steps;

  it("runs hourly, on the registrar's webhook and by hand, never two at once", () => {
    expect(workflow.on.schedule).toEqual([{ cron: "17 * * * *" }]);
    expect(workflow.on.repository_dispatch).toEqual({ types: ["calendar-changed"] });
    expect(Object.keys(workflow.on)).toContain("workflow_dispatch");
    expect(workflow.concurrency).toEqual({ group: "calendar-refresh", "cancel-in-progress": false });
    expect(workflow.jobs.refresh.strategy.matrix.stack).toEqual(["staging", "prod"]);
  });

  it("calls only scripts that exist, with flags our CLIs accept", () => {
    expect(npmRuns(workflow, "prod")).toEqual([
      ["plan", ["--stack", "prod"]],
      ["calendar", ["--stack", "prod", "--diff", "applied/capacity-plan.json"]],
    ]);
    expect(commandProblems(workflow)).toEqual([]);
  });

  it("negative control: a misspelt flag or script is reported", () => {
    const broken = parse(
      TEMPLATE.replace("--diff applied", "--dif applied").replace("npm run plan", "npm run plans"),
    ) as Workflow;
    expect(commandProblems(broken)).toEqual([
      "npm run plans: no such script",
      expect.stringContaining(
        "npm run calendar --stack staging --dif applied/capacity-plan.json:   - `--dif`: got",
      ),
      "npm run plans: no such script",
      expect.stringContaining(
        "npm run calendar --stack prod --dif applied/capacity-plan.json:   - `--dif`: got",
      ),
    ]);
  });

  it("plans, diffs, previews then updates only the calendar targets, and keeps the plan it applied", () => {
    const index = (pattern: RegExp) => steps.findIndex((s) => pattern.test(s.run ?? ""));
    const order = [
      /npm run plan/,
      /--diff/,
      /pulumi preview/,
      /pulumi up/,
      /capacity-plan\.json .*calendar-targets\.txt/,
    ];
    const at = order.map(index);
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    const apply = steps[index(/pulumi up/)]!.run!;
    expect(apply).toContain(
      "sort -u dist/${{ matrix.stack }}/calendar-targets.txt applied/calendar-targets.txt",
    );
    for (const command of ["pulumi preview", "pulumi up --yes"])
      expect(apply).toMatch(
        new RegExp(
          `${command} --stack \\$\\{\\{ matrix.stack \\}\\} --policy-pack policies "\\$\\{args\\[@\\]\\}"`,
        ),
      );
    const upload = steps.find((s) => s.uses?.startsWith("actions/upload-artifact"))!;
    expect(upload.with).toMatchObject({ name: "calendar-${{ matrix.stack }}", path: "keep/" });
  });
});
