/**
 * Plain stack formatting in every test file (V8's frame strings, no source-map lookup). Pulumi formats a full
 * stack for every resource and promise it creates; through jest's source-map support that was most of each
 * mock-based suite's time. Sucrase keeps line numbers, so failure traces still point at the right lines.
 */
Error.prepareStackTrace = (error, frames) =>
  `${String(error)}${frames.map((frame) => `\n    at ${frame.toString()}`).join("")}`;
