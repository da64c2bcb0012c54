/**
 * What the database role bootstrap runs (pure): the idempotent SQL, the three shell scripts and the awk that turns
 * master secrets into a pgpass file, as the Job's ConfigMap holds them. `role-bootstrap.ts` builds the objects.
 */
import { POSTGRES_IAM_USERS } from "../cqrs";
import { DataPorts } from "../network";
import { rdsCaBundle } from "./rds-ca";
import { throwIfProblems, type Problem } from "../../core";

/** Where the pod keeps its files. @internal */
export const PATHS = {
  config: "/etc/semester-db-roles",
  run: "/run/semester-db-roles",
  tmp: "/tmp",
} as const;

/** A PostgreSQL identifier Semester writes without quoting: lower case, at most 63 bytes. */
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** @internal */
export function identifierProblems(values: Readonly<Record<string, string>>): Problem[] {
  return Object.entries(values)
    .filter(([, v]) => !IDENTIFIER.test(v))
    .map(([path, value]) => ({
      path,
      value,
      rule: "must be a lower-case PostgreSQL identifier (letters, digits, _; at most 63)",
    }));
}

/**
 * The SQL the Job runs on each writer, as the master user: the two login roles of {@link POSTGRES_IAM_USERS}
 * (created only when missing), `rds_iam` for both, CONNECT and schema USAGE, DML for the writer and SELECT for the
 * reader on today's tables and sequences, and the same by default on those the master user creates later. Every
 * statement is idempotent; one transaction. Pure; throws on a name it would have to quote.
 * @internal
 */
export function roleBootstrapSql(args: {
  readonly database: string;
  readonly masterUsername: string;
  readonly users?: Readonly<Record<keyof typeof POSTGRES_IAM_USERS, string>>;
}): string {
  const users = args.users ?? POSTGRES_IAM_USERS;
  const { write, read } = users;
  throwIfProblems("roleBootstrapSql", [
    ...identifierProblems({
      database: args.database,
      masterUsername: args.masterUsername,
      "users.write": write,
      "users.read": read,
    }),
    ...(write === read
      ? [{ path: "users", value: users, rule: "the writer and reader are two roles: give them two names" }]
      : []),
  ]);
  const both = `${write}, ${read}`;
  const defaults = `ALTER DEFAULT PRIVILEGES FOR ROLE ${args.masterUsername} IN SCHEMA public GRANT`;
  const createIfMissing = (role: string) =>
    [
      `  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '${role}') THEN`,
      `    CREATE ROLE ${role} WITH LOGIN;`,
      "  END IF;",
    ].join("\n");
  return [
    "-- Semester: the IAM-authenticated login roles of the CQRS bindings. Idempotent: safe to run again.",
    "\\set ON_ERROR_STOP on",
    "BEGIN;",
    "DO $roles$",
    "BEGIN",
    createIfMissing(write),
    createIfMissing(read),
    "END",
    "$roles$;",
    `GRANT rds_iam TO ${both};`,
    `GRANT CONNECT ON DATABASE ${args.database} TO ${both};`,
    `GRANT USAGE ON SCHEMA public TO ${both};`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${write};`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${write};`,
    `GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${read};`,
    `${defaults} SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${write};`,
    `${defaults} USAGE, SELECT ON SEQUENCES TO ${write};`,
    `${defaults} SELECT ON TABLES TO ${read};`,
    "COMMIT;",
    "",
  ].join("\n");
}

/** Reads `SEMESTER_SHARD_<i>_<FIELD>` for each index of `SEMESTER_SHARDS` (POSIX sh has no indirect expansion). */
const FOR_EACH_SHARD = [
  "for shard in $SEMESTER_SHARDS; do",
  '  case "$shard" in',
  '    "" | *[!0-9]*) echo "SEMESTER_SHARDS: not a shard index: $shard" >&2; exit 64 ;;',
  "  esac",
];

/**
 * An awk program that prints the value of the `"password"` key of a one-line JSON object, escaped for a pgpass
 * field (`\` and `:` backslashed). It decodes JSON escapes (`\"`, `\\`, `\/`, `\u00XX` of printable ASCII) and
 * exits 65 on anything else (a control character, a non-ASCII password, no password), so no odd value slips by.
 * @internal
 */
export const PASSWORD_AWK = `# Prints the pgpass-escaped "password" of the JSON object on stdin (exit 65 if there is none).
BEGIN { for (k = 32; k <= 126; k++) printable = printable sprintf("%c", k) }
{ text = text $0 }
END {
  key = "\\"password\\""
  i = index(text, key)
  if (i == 0) exit 65
  i += length(key)
  n = length(text)
  while (i <= n && substr(text, i, 1) ~ /^[ \\t\\r:]$/) i++
  if (substr(text, i, 1) != "\\"") exit 65
  out = ""
  closed = 0
  for (i++; i <= n; i++) {
    c = substr(text, i, 1)
    if (c == "\\"") { closed = 1; break }
    if (c == "\\\\") {
      i++
      e = substr(text, i, 1)
      if (e == "\\"" || e == "\\\\" || e == "/") c = e
      else if (e == "u") {
        v = 0
        for (k = 1; k <= 4; k++) {
          d = index("0123456789abcdef", tolower(substr(text, i + k, 1)))
          if (d == 0) exit 65
          v = v * 16 + d - 1
        }
        if (v < 32 || v > 126) exit 65
        c = sprintf("%c", v)
        i += 4
      } else exit 65
    } else if (index(printable, c) == 0) exit 65
    if (c == "\\\\" || c == ":") out = out "\\\\"
    out = out c
  }
  if (!closed || out == "") exit 65
  printf "%s", out
}
`;

/** The three scripts and the SQL, as the ConfigMap holds them. Pure. @internal */
export function roleBootstrapFiles(args: {
  readonly region: string;
  readonly database: string;
  readonly masterUsername: string;
}): Record<string, string> {
  const port = DataPorts.postgres;
  const conninfo =
    `host=$host port=${port} dbname=${args.database} user=${args.masterUsername} ` +
    `sslmode=verify-full sslrootcert=${PATHS.config}/rds-ca.pem`;
  return {
    "fetch-secrets.sh": [
      "#!/bin/sh",
      "# Each shard writer's master secret (JSON) into the memory-backed volume, mode 0600. Prints no secret.",
      "set -eu",
      "umask 077",
      ...FOR_EACH_SHARD,
      '  eval "arn=\\${SEMESTER_SHARD_${shard}_SECRET_ARN:?}"',
      '  aws secretsmanager get-secret-value --secret-id "$arn" --query SecretString --output text \\',
      `    > "${PATHS.run}/shard-$shard.json"`,
      '  echo "shard $shard: fetched $arn"',
      "done",
      "",
    ].join("\n"),
    "pgpass.sh": [
      "#!/bin/sh",
      "# The fetched secrets into one pgpass file (mode 0600); the secrets are removed, so psql sees only pgpass.",
      "set -eu",
      "umask 077",
      `: > "${PATHS.run}/pgpass"`,
      ...FOR_EACH_SHARD,
      '  eval "host=\\${SEMESTER_SHARD_${shard}_HOST:?}"',
      `  if ! password=$(awk -f ${PATHS.config}/password.awk "${PATHS.run}/shard-$shard.json"); then`,
      '    echo "shard $shard: the secret holds no usable password" >&2',
      "    exit 65",
      "  fi",
      `  printf '%s:${port}:${args.database}:${args.masterUsername}:%s\\n' "$host" "$password" >> "${PATHS.run}/pgpass"`,
      `  rm -f "${PATHS.run}/shard-$shard.json"`,
      "done",
      "",
    ].join("\n"),
    "apply-roles.sh": [
      "#!/bin/sh",
      "# The idempotent role SQL on every shard writer, as the master user, over TLS verified against RDS's CAs.",
      "set -eu",
      `export PGPASSFILE=${PATHS.run}/pgpass PGAPPNAME=semester-db-roles PGCONNECT_TIMEOUT=10`,
      ...FOR_EACH_SHARD,
      '  eval "host=\\${SEMESTER_SHARD_${shard}_HOST:?}"',
      '  echo "shard $shard: roles on $host"',
      `  psql "${conninfo}" --no-psqlrc --quiet --set ON_ERROR_STOP=1 --file ${PATHS.config}/roles.sql`,
      "done",
      "",
    ].join("\n"),
    "password.awk": PASSWORD_AWK,
    "roles.sql": roleBootstrapSql(args),
    "rds-ca.pem": rdsCaBundle(args.region),
  };
}
