#!/usr/bin/env bash
# Runs every test tier (unit, slow, multi-process) in Release. Installs only what a tier needs and lacks: PostgreSQL's
# server binaries (initdb, pg_ctl) for the node's slow tier, with apt-get; the tests start a private server themselves.
set -uo pipefail

# Prints the folder holding initdb and pg_ctl and succeeds, or fails; the tests look in the same places, in this order.
pg_bin() {
  local dir
  if [ -n "${TESSERA_PG_BIN:-}" ] && [ -x "$TESSERA_PG_BIN/initdb" ] && [ -x "$TESSERA_PG_BIN/pg_ctl" ]; then
    echo "$TESSERA_PG_BIN"; return 0
  fi
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"; return 0
  fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"; return 0
    fi
  done
  return 1
}

# Installs PostgreSQL with apt-get unless pg_bin finds it; fails with a message saying why when it cannot.
ensure_postgres() {
  local bin log sudo="" started
  if ! bin="$(pg_bin)"; then
    if [ "$(id -u)" -ne 0 ]; then
      if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo="sudo -n"
      else
        echo "test.sh: PostgreSQL (initdb, pg_ctl) is needed by the slow tier and is not installed, and this user cannot install it" \
          "(not root, no passwordless sudo). Install it (apt-get install postgresql) or set TESSERA_PG_BIN to the folder holding" \
          "initdb and pg_ctl." >&2
        return 1
      fi
    fi
    echo "test.sh: PostgreSQL (initdb, pg_ctl) not found; installing it with apt-get for the slow tier..."
    started=$SECONDS
    log="$(mktemp)"
    if ! { $sudo env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300 update \
        && $sudo env DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=300 install --no-install-recommends postgresql; } \
        >"$log" 2>&1; then
      tail -n 40 "$log" >&2
      echo "test.sh: installing PostgreSQL with apt-get failed (last lines above); the slow tier needs it, so the run stops here." \
        "Install it (apt-get install postgresql) or set TESSERA_PG_BIN to the folder holding initdb and pg_ctl." >&2
      rm -f "$log"
      return 1
    fi
    rm -f "$log"
    if ! bin="$(pg_bin)"; then
      echo "test.sh: apt-get installed postgresql, but initdb and pg_ctl are still not found (looked in PATH and /usr/lib/postgresql/*/bin)." >&2
      return 1
    fi
    echo "test.sh: PostgreSQL installed in $((SECONDS - started)) s ($bin)."
  fi
  # initdb refuses root: as root the tests run the server as the 'postgres' OS user (the Debian package creates it).
  if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    echo "test.sh: creating the 'postgres' OS user, which runs the tests' private PostgreSQL server (initdb refuses root)."
    if ! useradd --system --no-create-home --shell /usr/sbin/nologin postgres; then
      echo "test.sh: could not create the 'postgres' OS user; the slow tier needs it to run PostgreSQL as root." >&2
      return 1
    fi
  fi
  return 0
}

main() {
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  cd "$root" || return 1
  ensure_postgres || return 1
  dotnet test Tessera.slnx -c Release --nologo "$@"
}

# Sourcing the script (to test its functions) runs nothing.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  main "$@"
  exit $?
fi
