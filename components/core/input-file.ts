/** Reading an input file (calendar, profile, history) with the one problem every loader gives when it cannot. */
import { readFileSync } from "fs";
import { throwIfProblems } from "./problem";

/** The path of a problem about a whole file that cannot be read or parsed. */
export const WHOLE_FILE = "(file)";

/** The file's text; `name` is the file as the user named it, the source of the problem. @default path */
export function readInputFile(path: string, name: string = path): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    // The code is the value; the message names the path, so it is long and goes whole into the rule.
    const { code, message } = e as NodeJS.ErrnoException;
    throwIfProblems(name, [
      { path: WHOLE_FILE, value: code ?? message, rule: `must be a readable file (${message})` },
    ]);
    return "";
  }
}
