#!/usr/bin/env bash
# The static checks of `npm test` side by side (each is mostly single-threaded): type check, lint, format check.
# Fails if any of them fails; each prints its own problems.
set -u
npm run -s typecheck & typecheck=$!
npm run -s lint & lint=$!
npm run -s format:check & format=$!
status=0
for pid in "$typecheck" "$lint" "$format"; do wait "$pid" || status=1; done
exit "$status"
