#!/usr/bin/env bash
# Builds and lints every .bicep file under infra/ with the Bicep CLI from the NuGet package
# Azure.Bicep.CommandLine.linux-x64 (restored through infra/tools/BicepCli.csproj, version pinned in
# Directory.Packages.props). infra/bicepconfig.json turns every linter rule on as a warning; this
# script fails on any warning or error from either command, and when infra/main.parameters.json
# and main.bicep disagree about parameter names. Last line: "bicep: N files clean" or the failures.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
tool_project="infra/tools/BicepCli.csproj"
dotnet restore "$tool_project" -nologo -v:q >/dev/null || { echo "bicep: restoring $tool_project failed" >&2; exit 1; }
bicep="$(dotnet msbuild "$tool_project" -getProperty:BicepPath -nologo 2>/dev/null | tail -n1)"
if [ ! -f "$bicep" ]; then
  echo "bicep: the package gave no CLI at '$bicep'" >&2
  exit 1
fi
# NuGet extracts the binary with the owner's execute bit only; make sure whoever runs CI can run it.
[ -x "$bicep" ] || chmod u+x "$bicep"
echo "bicep: $("$bicep" --version)"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

files=()
while IFS= read -r -d '' f; do files+=("$f"); done < <(find infra -name '*.bicep' -not -path '*/obj/*' -not -path '*/bin/*' -print0 | sort -z)
if [ "${#files[@]}" -eq 0 ]; then
  echo "bicep: no .bicep files under infra/" >&2
  exit 1
fi

failed=0
for f in "${files[@]}"; do
  name="$(echo "$f" | tr '/' '_')"
  build_log="$out/$name.build.log"
  lint_log="$out/$name.lint.log"
  "$bicep" build "$f" --outfile "$out/$name.json" >"$build_log" 2>&1
  build_rc=$?
  "$bicep" lint "$f" >"$lint_log" 2>&1
  lint_rc=$?
  problems="$(cat "$build_log" "$lint_log" | grep -E ': (Warning|Error) ' | sort -u)"
  if [ "$build_rc" -ne 0 ] || [ "$lint_rc" -ne 0 ] || [ -n "$problems" ]; then
    failed=$((failed + 1))
    echo "FAIL $f (build exit $build_rc, lint exit $lint_rc)"
    if [ -n "$problems" ]; then echo "$problems"; else cat "$build_log" "$lint_log"; fi
  else
    echo "ok   $f"
  fi
done

# azd passes infra/main.parameters.json to main.bicep: a misspelt name there is silently ignored
# by nothing but the deployment, so compare it with the compiled template here.
main_json="$out/$(echo infra/main.bicep | tr '/' '_').json"
if [ -f "$main_json" ]; then
  python3 - "$main_json" infra/main.parameters.json <<'PY' || failed=$((failed + 1))
import json, sys
template = json.load(open(sys.argv[1]))["parameters"]
given = json.load(open(sys.argv[2]))["parameters"]
unknown = sorted(set(given) - set(template))
missing = sorted(n for n, p in template.items() if "defaultValue" not in p and not p.get("nullable") and n not in given)
for n in unknown:
    print(f"FAIL infra/main.parameters.json: '{n}' is not a parameter of main.bicep")
for n in missing:
    print(f"FAIL infra/main.parameters.json: required parameter '{n}' has no value")
sys.exit(1 if unknown or missing else 0)
PY
fi

if [ "$failed" -ne 0 ]; then
  echo "bicep: $failed of ${#files[@]} checks failed"
  exit 1
fi
echo "bicep: ${#files[@]} files clean"
