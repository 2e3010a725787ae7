#!/usr/bin/env bash
# Builds the test double of Microsoft.Web.Administration (one netstandard2.0 assembly that loads in
# PowerShell 7 on .NET, in Mono and in CoreCLR) and prints the path of the DLL.
# Idempotent: when the DLL is newer than every source file, it only prints the path.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/bin/netstandard2.0"
dll="$out/Microsoft.Web.Administration.dll"

if [[ -f "$dll" ]] && [[ -z "$(find "$here/src" "$here/Microsoft.Web.Administration.csproj" -newer "$dll" -print -quit)" ]]; then
  echo "$dll"
  exit 0
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "build.sh: the .NET SDK (dotnet) is needed to build the Microsoft.Web.Administration test double" >&2
  exit 1
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
log="$(mktemp)"
if ! dotnet build "$here/Microsoft.Web.Administration.csproj" -c Release -o "$out" -nologo -v quiet >"$log" 2>&1; then
  cat "$log" >&2
  rm -f "$log"
  echo "build.sh: building the Microsoft.Web.Administration test double failed" >&2
  exit 1
fi
rm -f "$log"
touch "$dll"
echo "$dll"
