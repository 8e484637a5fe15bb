#!/usr/bin/env bash
# Builds .bundle/rnnsearch-gpu.tar.xz: RnnSearch for machines without .NET that have a PyTorch install (with CUDA).
#   trainer/       the TrainerNode, external-libtorch flavour (-p:TorchBackend=external), self-contained, linux-x64
#   coordinator/   the Coordinator, self-contained, linux-x64 (finds ../trainer/RnnSearch.TrainerNode for --local-trainers)
#   bin/trainer, bin/coordinator   launchers: find libtorch (--libtorch, RNNSEARCH_LIBTORCH, else python3's torch/lib)
#   shared/data/   the polyphonic music data (README.md + polyphonic/; --with-ptb adds ptb/ and ptb_char/)
# Files identical in trainer/ and coordinator/ (the .NET runtime) are hard-linked, so the archive stores them once.
# Usage: deploy/gpu-bundle.sh [--data DIR] [--out FILE] [--with-ptb]     (docs/gpu.md)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${RNNSEARCH_DATA:-$repo/data}"
out="$repo/.bundle/rnnsearch-gpu.tar.xz"
with_ptb=false
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --with-ptb) with_ptb=true; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "error: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -f "$data/README.md" ] && [ -d "$data/polyphonic" ] || { echo "error: no data folder at $data (pass --data DIR: a data folder like the repository's data/, with README.md and polyphonic/)" >&2; exit 2; }
command -v dotnet >/dev/null || { echo "error: dotnet (SDK 10) is needed to build the bundle" >&2; exit 2; }
command -v xz >/dev/null || { echo "error: xz is needed to compress the bundle" >&2; exit 2; }

stage_root="$repo/.bundle/stage"
stage="$stage_root/rnnsearch-gpu"
rm -rf "$stage_root"
mkdir -p "$stage/bin" "$stage/shared/data" "$(dirname "$out")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Trimming stays off (Akka and the serializers reflect). No libtorch from NuGet: the external flavour references plain TorchSharp.
# Both projects build under artifacts/torch-external/, so the default bin/ and obj/ folders are left alone.
publish=(-c Release -r linux-x64 --self-contained true -p:TorchBackend=external -p:PublishTrimmed=false -p:DebugType=none -p:DebugSymbols=false -p:SatelliteResourceLanguages=en -p:GenerateDocumentationFile=false)
echo "== publish TrainerNode (external libtorch, self-contained) -> trainer/"
dotnet publish "$repo/src/TrainerNode/RnnSearch.TrainerNode.csproj" "${publish[@]}" -o "$stage/trainer" | grep -E "error|warn|->|TorchSharp on" || true
[ -x "$stage/trainer/RnnSearch.TrainerNode" ] || { echo "error: TrainerNode publish failed" >&2; exit 1; }
if ls "$stage/trainer" | grep -qE '^libtorch(_cpu|_cuda)?\.so$'; then echo "error: a libtorch from NuGet ended up in trainer/ (expected the external flavour)" >&2; exit 1; fi
[ -f "$stage/trainer/libLibTorchSharp.so" ] || { echo "error: trainer/ lacks TorchSharp's libLibTorchSharp.so" >&2; exit 1; }

echo "== publish Coordinator (self-contained) -> coordinator/"
dotnet publish "$repo/src/Coordinator/RnnSearch.Coordinator.csproj" "${publish[@]}" -p:BuildTrainerNode=false -o "$stage/coordinator" | grep -E "error|warn|->" || true
[ -x "$stage/coordinator/RnnSearch.Coordinator" ] || { echo "error: Coordinator publish failed" >&2; exit 1; }
rm -f "$stage/coordinator/trainer-node.path" # the bundle's trainer is found at ../trainer (TrainerLocator)

echo "== data, launchers"
cp "$data/README.md" "$stage/shared/data/"
cp -r "$data/polyphonic" "$stage/shared/data/"
if $with_ptb; then cp -r "$data/ptb" "$data/ptb_char" "$stage/shared/data/"; fi
chmod -R u+w "$stage/shared"
cp "$repo/deploy/gpu/env.sh" "$repo/deploy/gpu/trainer" "$repo/deploy/gpu/coordinator" "$stage/bin/"
chmod +x "$stage/bin/trainer" "$stage/bin/coordinator"
cp "$repo/deploy/gpu/README.txt" "$stage/README.txt"
{
  echo "commit $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$repo" diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "built $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -srm)"
  echo "dotnet $(dotnet --version)"
} > "$stage/VERSION"

staged=$(du -sm "$stage" | cut -f1)
if command -v hardlink >/dev/null; then
  hardlink -q "$stage" >/dev/null 2>&1 || hardlink "$stage" >/dev/null
else
  echo "warning: 'hardlink' (util-linux) not found: the runtime files shared by trainer/ and coordinator/ are stored twice" >&2
fi
deduplicated=$(du -sm "$stage" | cut -f1)

echo "== compress -> $out"
tar -C "$stage_root" -cf - rnnsearch-gpu | xz -9 -T0 > "$out.tmp"
mv "$out.tmp" "$out"
size=$(stat -c %s "$out")
echo "bundle: $out"
echo "  staged ${staged} MB, ${deduplicated} MB with shared runtime files hard-linked; archive $((size / 1024 / 1024)) MiB ($size bytes)"
echo "  trainer/ $(du -sm --apparent-size "$stage/trainer" | cut -f1) MB, coordinator/ $(du -sm --apparent-size "$stage/coordinator" | cut -f1) MB, data $(du -sm "$stage/shared" | cut -f1) MB"
echo "On the GPU machine: tar -xJf $(basename "$out") && rnnsearch-gpu/bin/trainer gpu-check   (or run deploy/gpu-verify.sh there)"
