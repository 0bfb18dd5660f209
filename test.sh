#!/usr/bin/env bash
# Runs every test tier (unit, slow, multi-process) in Release. Installs nothing it does not need.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
dotnet test Tessera.slnx -c Release --nologo "$@"
