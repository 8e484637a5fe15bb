# Sourced by bin/trainer and bin/coordinator of the GPU bundle (deploy/gpu-bundle.sh). Sets:
#   RNNSEARCH_LIBTORCH  the libtorch folder (kept if set; else --libtorch DIR among the arguments; else python3's torch/lib)
#   LD_LIBRARY_PATH     that folder first, so that libraries libtorch opens by name later come from the same install
#   RNNSEARCH_DATA      the bundle's shared/data unless set
# The trainer preloads the folder's libraries itself (RNNSEARCH_LIBTORCH); trainers started by the coordinator
# (--local-trainers) inherit these variables.
bundle_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rnnsearch_libtorch_from_args() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --libtorch) [ $# -gt 1 ] && { printf '%s\n' "$2"; return; } ;;
      --libtorch=*) printf '%s\n' "${1#--libtorch=}"; return ;;
    esac
    shift
  done
}
given="$(rnnsearch_libtorch_from_args "$@")"
if [ -n "$given" ]; then
  libtorch_dir="$given"
elif [ -n "${RNNSEARCH_LIBTORCH:-}" ]; then
  libtorch_dir="$RNNSEARCH_LIBTORCH"
else
  libtorch_dir="$("${PYTHON:-python3}" -c 'import torch, os; print(os.path.join(os.path.dirname(torch.__file__), "lib"))' 2>/dev/null | tail -n 1 || true)"
  if [ -n "$libtorch_dir" ]; then export RNNSEARCH_LIBTORCH="$libtorch_dir"; fi
fi
# Empty when nothing was found: bin/trainer stops with an error, bin/coordinator goes on (only its local trainers need libtorch).
if [ -n "$libtorch_dir" ]; then export LD_LIBRARY_PATH="$libtorch_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"; fi
export RNNSEARCH_DATA="${RNNSEARCH_DATA:-$bundle_root/shared/data}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1
