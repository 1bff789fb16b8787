#!/usr/bin/env bash
# Builds the deployable Function App for Azure Functions (custom handler, Linux):
#   <out>/functionapp/      host.json, one folder per function (function.json), the Automation.Host
#                           executable and everything it loads
#   <out>/functionapp.zip   the same folder zipped, executable bit kept (what azd deploys)
# The host is published self-contained for linux-x64: the Functions image that runs custom handlers
# has no .NET 10 runtime, so the package brings its own (see infra/README.md).
# Environment: ARTIFACTS_DIR (default: artifacts/ at the repository root).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

out="${ARTIFACTS_DIR:-$root/artifacts}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
stage="$out/functionapp"
zip_file="$out/functionapp.zip"
functions_src="functions/Automation.Host/FunctionApp"
# host.json names the same executable (customHandler.description.defaultExecutablePath); the
# packaging test checks they agree.
executable="Automation.Host"

rm -rf "$stage" "$zip_file"

# A one-shot build leaves no MSBuild nodes or compiler server behind: they would outlive the script
# and keep the output pipes of whoever runs it (a test, CI) open.
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# A separate artifacts path keeps this RID-specific publish out of the bin/ and obj/ folders that
# `dotnet build` and the test runs use, so packaging never disturbs them (and can run beside them).
dotnet publish functions/Automation.Host/Automation.Host.csproj \
  -c Release -r linux-x64 --self-contained true \
  --artifacts-path "$out/build" -o "$stage" -nologo -v:q -nodeReuse:false -p:UseSharedCompilation=false

# The Web SDK publishes every .json under the project as content, function folders included; the
# Functions host only reads function folders at the root, so the nested copy would only confuse.
rm -rf "$stage/FunctionApp" "$stage/local.settings.json"

cp host.json "$stage/host.json"
for dir in "$functions_src"/*/; do
  name="$(basename "$dir")"
  [ -f "$dir/function.json" ] || continue
  mkdir -p "$stage/$name"
  cp "$dir/function.json" "$stage/$name/function.json"
done

if [ ! -f "$stage/$executable" ]; then
  echo "package: publish produced no $executable in $stage" >&2
  exit 1
fi
chmod 755 "$stage/$executable"

# zip keeps Unix modes; python3 is the fallback where zip is not installed. Either way the archive
# holds the folder's contents at its root, as Azure Functions expects.
if command -v zip >/dev/null 2>&1; then
  (cd "$stage" && zip -q -r -X "$zip_file" .)
else
  python3 - "$stage" "$zip_file" <<'PY'
import os, sys, zipfile
stage, target = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
    for folder, _, files in os.walk(stage):
        for name in sorted(files):
            path = os.path.join(folder, name)
            info = zipfile.ZipInfo.from_file(path, os.path.relpath(path, stage))
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as source:
                archive.writestr(info, source.read())
PY
fi

echo "package: $zip_file ($(du -h "$zip_file" | cut -f1)), $(find "$stage" -name function.json | wc -l) functions"
