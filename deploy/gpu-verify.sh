#!/usr/bin/env bash
# GPU verification of RnnSearch, for a machine with an NVIDIA GPU, a PyTorch install with CUDA (python3 -c 'import torch')
# and no .NET: unpacks the bundle made by deploy/gpu-bundle.sh and, in about 6-8 minutes,
#   1. checks the trainer's error lines (bad --device index, missing libtorch) on the real machine;
#   2. gpu-check: libtorch/CUDA/cuDNN, and the generic layers vs the built-in (cuDNN) LSTM, batch 32 x 100 steps,
#      hidden 128 and 512, as ratios — on the GPU (and the same table on the CPU for comparison);
#   3. real jsb trials on the GPU, one resumed from its checkpoint on the GPU;
#   4. the 'quick' study: a coordinator with N CPU trainer nodes (--local-trainers) plus one GPU trainer node started
#      separately (--device cuda); leaderboard JSON, report, per-device summary, GPU memory samples;
# and writes everything under OUT_DIR (timings.tsv, summary.txt, *.json, logs). Fails fast: the first failed step
# stops the script with its log's last lines.
# Usage: bash deploy/gpu-verify.sh [BUNDLE.tar.xz] [OUT_DIR]
#   defaults: .bundle/rnnsearch-gpu.tar.xz, $OUT/gpu-verify (or ./gpu-verify-out)
#   knobs: LOCAL_TRAINERS (6) CPU_THREADS (2) GPU_SLOTS (4) GPU_THREADS (2) QUICK_TIMEOUT (300 s) PYTHON (python3)
#          STUDY (quick; a preset or a .toml) STEP_TIMEOUT (240 s for every other step)
#   VERIFY_DEVICE=cpu: a dry run of this script on a machine without a GPU (RNNSEARCH_LIBTORCH must name a libtorch folder;
#   the "GPU" trainer then trains on the CPU and the CUDA-only checks are left out) — for testing the script itself.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bundle="${1:-$repo/.bundle/rnnsearch-gpu.tar.xz}"
out="${2:-${OUT:+$OUT/gpu-verify}}"; out="${out:-$PWD/gpu-verify-out}"
local_trainers="${LOCAL_TRAINERS:-6}"; cpu_threads="${CPU_THREADS:-2}"; gpu_slots="${GPU_SLOTS:-4}"; gpu_threads="${GPU_THREADS:-2}"
quick_timeout="${QUICK_TIMEOUT:-300}"; py="${PYTHON:-python3}"; study="${STUDY:-quick}"
limit="${STEP_TIMEOUT:-240}"
dev="${VERIFY_DEVICE:-cuda}"
case "$dev" in cuda) cuda_mode=true; dev0="cuda:0" ;; cpu) cuda_mode=false; dev0="cpu" ;; *) echo "error: VERIFY_DEVICE must be cuda or cpu" >&2; exit 2 ;; esac
mkdir -p "$out"
exec > >(tee -a "$out/verify.log") 2>&1
t_start=$(date +%s)
printf 'step\tseconds\tstatus\n' > "$out/timings.tsv"
background=()
work=""
cleanup() {
  for p in "${background[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 1
  for p in "${background[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  [ -n "$work" ] && rm -rf "$work"
}
trap cleanup EXIT

record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$out/timings.tsv"; }
fail() { echo "FAILED: $*"; echo "total $(( $(date +%s) - t_start )) s; outputs in $out"; exit 1; }
# step NAME CMD...: runs CMD with its output in $out/NAME.log; stops everything on failure.
step() {
  local name="$1"; shift
  local t0; t0=$(date +%s)
  echo "== [$name] $*"
  if "$@" > "$out/$name.log" 2>&1; then
    record "$name" $(( $(date +%s) - t0 )) ok
    echo "   ok ($(( $(date +%s) - t0 )) s)"
  else
    local rc=$?
    record "$name" $(( $(date +%s) - t0 )) "exit $rc"
    echo "--- last lines of $out/$name.log:"; tail -n 40 "$out/$name.log"
    fail "$name (exit $rc)"
  fi
}
# expect_error NAME "expected start of the error line" CMD...: CMD must exit 2 with one line "error: <expected>..." on stderr.
expect_error() {
  local name="$1" expected="$2"; shift 2
  echo "== [$name] expecting exit 2 and 'error: $expected...': $*"
  local rc=0
  timeout 120 "$@" > "$out/$name.out" 2> "$out/$name.err" || rc=$?
  local first; first="$(head -n 1 "$out/$name.err")"
  if [ "$rc" = 2 ] && [[ "$first" == "error: $expected"* ]] && [ "$(grep -c . "$out/$name.err")" = 1 ]; then
    record "$name" 0 ok; echo "   ok: $first"
  else
    record "$name" 0 "exit $rc"; echo "--- stderr:"; head -c 2000 "$out/$name.err"; echo "--- stdout:"; head -c 1000 "$out/$name.out"
    fail "$name: expected exit 2 and 'error: $expected', got exit $rc"
  fi
}
json() { "$py" -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {'d': d}))" "$@"; }

echo "RnnSearch GPU verification $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(hostname), $(nproc) cores; bundle $bundle; outputs in $out"
[ -f "$bundle" ] || fail "no bundle at $bundle (build it with deploy/gpu-bundle.sh where .NET is, and carry .bundle/rnnsearch-gpu.tar.xz here)"

# --- 0. the machine -----------------------------------------------------------------------------------------------
preflight() {
  uname -a; cat /etc/os-release 2>/dev/null | grep PRETTY || true
  nvidia-smi || echo "nvidia-smi not found"
  "$py" - <<'PY'
import os, torch
print("torch", torch.__version__, "cuda", torch.version.cuda, "available", torch.cuda.is_available(), "devices", torch.cuda.device_count())
print("cudnn", torch.backends.cudnn.version() if torch.backends.cudnn.is_available() else None)
if torch.cuda.is_available(): print("gpu", torch.cuda.get_device_name(0))
print("LIBDIR", os.path.join(os.path.dirname(torch.__file__), "lib"))
PY
}
if $cuda_mode; then
  step preflight preflight
  torch_lib="$(grep '^LIBDIR ' "$out/preflight.log" | cut -d' ' -f2-)"
  grep -q "available True" "$out/preflight.log" || fail "PyTorch on this machine does not see CUDA (see $out/preflight.log)"
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > "$out/gpu.csv" 2>/dev/null || true
else
  torch_lib="${RNNSEARCH_LIBTORCH:?VERIFY_DEVICE=cpu needs RNNSEARCH_LIBTORCH (a libtorch folder)}"
  echo "== dry run on the CPU with libtorch $torch_lib"
fi
echo "   PyTorch libtorch: $torch_lib"

# --- 1. unpack ------------------------------------------------------------------------------------------------------
work="$(mktemp -d /tmp/rnnsearch-gpu.XXXXXX)"
step unpack timeout "$limit" tar -xJf "$bundle" -C "$work"
b="$work/rnnsearch-gpu"
cat "$b/VERSION"; du -sh "$b" | sed 's/^/   unpacked: /'
trainer_bin="$b/trainer/RnnSearch.TrainerNode"
small=(train --task jsb --spec LSTM:hidden=8 --epochs 1 --max-batches 1 --threads 1)

# --- 2. error lines on the real machine --------------------------------------------------------------------------------
if $cuda_mode; then
gpus="$("$py" -c 'import torch; print(torch.cuda.device_count())')"
expect_error err-device-index "--device cuda:$gpus: only $gpus CUDA device(s) visible" "$b/bin/trainer" "${small[@]}" --device "cuda:$gpus"
else
expect_error err-device-cuda "--device cuda: CUDA is not available: " "$b/bin/trainer" "${small[@]}" --device cuda
fi
expect_error err-device-syntax "--device gpu: expected cpu, cuda or cuda:N" "$b/bin/trainer" "${small[@]}" --device gpu
expect_error err-no-libtorch "no libtorch: " env -u RNNSEARCH_LIBTORCH -u LD_LIBRARY_PATH "$trainer_bin" "${small[@]}"
expect_error err-libtorch-folder "--libtorch /nonexistent/torch/lib: no such directory" env -u RNNSEARCH_LIBTORCH -u LD_LIBRARY_PATH "$trainer_bin" "${small[@]}" --libtorch /nonexistent/torch/lib

# --- GPU memory samples for the rest of the run (per process, every 2 s) ------------------------------------------------------
( while true; do now=$(date +%s); nvidia-smi --query-compute-apps=pid,used_memory --format=csv,noheader,nounits 2>/dev/null | sed "s/^/$now, /"; sleep 2; done ) > "$out/gpu-memory.csv" &
background+=($!)
nvidia-smi --query-gpu=timestamp,utilization.gpu,memory.used --format=csv,noheader -l 2 > "$out/gpu-utilization.csv" 2>/dev/null &
background+=($!)
note_pid() { echo "$1 $2" >> "$out/pids.txt"; }
run_bg() { # run_bg LABEL OUTFILE CMD...: under STEP_TIMEOUT, in the background (its pid noted for the memory summary), waited for
  local label="$1" file="$2"; shift 2
  timeout "$limit" "$@" > "$file" & local p=$!
  sleep 0.5; note_pid "$(pgrep -P "$p" | head -n 1)" "$label"
  wait "$p"
}

# --- 3. gpu-check ---------------------------------------------------------------------------------------------------------
# Only --libtorch, no LD_LIBRARY_PATH: the trainer's own preload must bring up CUDA.
step gpu-check-preload-only run_bg gpu-check-preload "$out/gpu-check-preload.json" env -u RNNSEARCH_LIBTORCH -u LD_LIBRARY_PATH "$trainer_bin" gpu-check --libtorch "$torch_lib" --device "$dev" --hidden 64 --warmup 1 --timed 3 --json
if $cuda_mode; then
  [ "$(json "$out/gpu-check-preload.json" "d['cuda_available'] and d['cudnn_available']")" = True ] || fail "gpu-check with --libtorch alone: CUDA or cuDNN not available"
fi
hiddens=(128 512); timed=10; cpu_timed=3
$cuda_mode || { hiddens=(32 64); timed=2; cpu_timed=1; }
step gpu-check run_bg gpu-check "$out/gpu-check.json" "$b/bin/trainer" gpu-check --device "$dev" --hidden "${hiddens[@]}" --batch 32 --steps 100 --warmup 3 --timed "$timed" --threads "$gpu_threads" --json
step cpu-check run_bg cpu-check "$out/cpu-check.json" "$b/bin/trainer" gpu-check --device cpu --hidden "${hiddens[@]}" --batch 32 --steps 100 --warmup 1 --timed "$cpu_timed" --threads "$(nproc)" --json
"$py" - "$out/gpu-check.json" "$out/cpu-check.json" > "$out/kernel-ratios.txt" <<'PY'
import json, sys
g, c = (json.load(open(p)) for p in sys.argv[1:3])
print(f"backend {g['backend']}, libtorch {g['lib_torch']} (PyTorch {g['py_torch_version']}), TorchSharp built for {g['torch_sharp_lib_torch']}")
print(f"CUDA devices {g['cuda_devices']}, cuDNN {g['cudnn_available']}; batch {g['batch']} x {g['steps']} steps x {g['inputs']} inputs; fwd+bwd+clip+AdamW per step")
print(f"{'hidden':>6}  {'spec':<50} {'path':<9} {'GPU ms':>9} {'x built-in':>10} {'CPU ms':>9} {'x built-in':>10} {'CPU/GPU':>8}")
cpu = {(r['hidden'], r['spec'], r['path']): r for r in c['rows']}
for r in g['rows']:
    k = cpu.get((r['hidden'], r['spec'], r['path']))
    print(f"{r['hidden']:>6}  {r['spec']:<50} {r['path']:<9} {r['ms_per_step']:>9.2f} {r['ratio_to_builtin']:>10.2f} "
          + (f"{k['ms_per_step']:>9.2f} {k['ratio_to_builtin']:>10.2f} {k['ms_per_step']/r['ms_per_step']:>8.2f}" if k else ""))
PY
cat "$out/kernel-ratios.txt"

# --- 4. real trials on the GPU, and a resume on the GPU ------------------------------------------------------------------------
step trial-gpu-builtin run_bg trial-builtin "$out/trial-gpu-builtin.json" "$b/bin/trainer" train --task jsb --spec LSTM:hidden=128 --device "$dev" --epochs 2 --max-batches 30 --threads "$gpu_threads" --json
step trial-gpu-generic run_bg trial-generic "$out/trial-gpu-generic.json" "$b/bin/trainer" train --task jsb --spec "LSTM:hidden=64,transition_depth=2,shortcut=true,dropout=0.1" --device "$dev0" --epochs 2 --max-batches 10 --threads "$gpu_threads" --json
for f in trial-gpu-builtin trial-gpu-generic; do
  [ "$(json "$out/$f.json" "d['device'] + ' ' + d['status']")" = "$dev0 ok" ] || fail "$f: expected device $dev0 and status ok, got $(json "$out/$f.json" "d['device'] + ' ' + d['status']")"
done
ckpt="$work/checkpoint"
step resume-gpu-part1 timeout "$limit" "$b/bin/trainer" train --task jsb --spec LSTM:hidden=32,gate_depth=2 --device "$dev" --epochs 2 --max-batches 10 --lr 0.01 --checkpoint-dir "$ckpt" --json
step resume-gpu-part2 run_bg resume "$out/resume-gpu.json" "$b/bin/trainer" train --task jsb --spec LSTM:hidden=32,gate_depth=2 --device "$dev" --epochs 4 --max-batches 10 --lr 0.01 --checkpoint-dir "$ckpt" --json
[ "$(json "$out/resume-gpu.json" "(d['resumed_from_epoch'], d['epochs'], d['status'], d['history'][3]['train_loss'] < d['history'][1]['train_loss'])")" = "(2, 4, 'ok', True)" ] \
  || fail "resume on the GPU: expected resumed_from_epoch 2, 4 epochs, ok and a falling loss after the resume; got $(json "$out/resume-gpu.json" "(d['resumed_from_epoch'], d['epochs'], d['status'], [h['train_loss'] for h in d['history']])")"
echo "   resumed on $dev0: losses $(json "$out/resume-gpu.json" "[round(h['train_loss'], 3) for h in d['history']]")"

# --- 5. the quick study: CPU trainers from the coordinator + one GPU trainer node --------------------------------------------------
q="$out/quick"; mkdir -p "$q/logs"
t0=$(date +%s)
echo "== [quick] study $study: coordinator with $local_trainers CPU trainers x $cpu_threads threads + 1 GPU trainer ($dev0, $gpu_slots slots x $gpu_threads threads); timeout $quick_timeout s"
"$b/bin/coordinator" run "$study" --db "$q/quick.db" --local-trainers "$local_trainers" --trainer-threads "$cpu_threads" --http off --metrics-port 0 --log-dir "$q/logs" --json > "$q/run-stdout.txt" 2> "$q/coordinator.txt" &
coordinator=$!; background+=($coordinator); note_pid "$coordinator" coordinator
"$b/bin/trainer" --seed-nodes akka.tcp://rnnsearch@127.0.0.1:4053 --device "$dev" --slots "$gpu_slots" --threads "$gpu_threads" --node-id gpu-0 --exit-when-done --log-dir "$q/logs" --metrics-port 0 > "$q/gpu-trainer.txt" 2>&1 &
gpu_trainer=$!; background+=($gpu_trainer); note_pid "$gpu_trainer" gpu-trainer
gpu_trainer_done=false
while kill -0 "$coordinator" 2>/dev/null; do
  if [ $(( $(date +%s) - t0 )) -ge "$quick_timeout" ]; then
    record quick $(( $(date +%s) - t0 )) timeout
    echo "--- coordinator:"; tail -n 20 "$q/coordinator.txt"; echo "--- GPU trainer:"; tail -n 20 "$q/gpu-trainer.txt"
    fail "quick study did not finish in $quick_timeout s"
  fi
  if ! $gpu_trainer_done && ! kill -0 "$gpu_trainer" 2>/dev/null; then
    gpu_trainer_done=true; trc=0; wait "$gpu_trainer" || trc=$?
    [ "$trc" = 0 ] || { echo "--- GPU trainer:"; tail -n 30 "$q/gpu-trainer.txt"; fail "the GPU trainer node exited early with $trc"; }
  fi
  sleep 2
done
rc=0; wait "$coordinator" || rc=$?
record quick $(( $(date +%s) - t0 )) "exit $rc"
[ "$rc" = 0 ] || { echo "--- coordinator:"; tail -n 40 "$q/coordinator.txt"; fail "coordinator exited with $rc"; }
echo "   study done in $(( $(date +%s) - t0 )) s"
for _ in $(seq 1 15); do kill -0 "$gpu_trainer" 2>/dev/null || break; sleep 1; done
kill "$gpu_trainer" 2>/dev/null || true

rc=0
"$py" - "$q/quick.db" "$dev0" > "$q/devices.txt" <<'PY' || rc=$?
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("""
  SELECT t.device, t.node_id, COUNT(*), SUM(t.result_status = 'ok'), SUM(t.result_status = 'stopped'), SUM(t.result_status NOT IN ('ok', 'stopped')),
         AVG(t.train_seconds), AVG(t.epochs),
         (SELECT AVG(e.samples_per_second) FROM epochs e JOIN trials u ON u.study_id = e.study_id AND u.id = e.trial_id WHERE u.device = t.device AND u.node_id = t.node_id)
  FROM trials t WHERE t.result_status IS NOT NULL GROUP BY t.device, t.node_id ORDER BY t.device, t.node_id""").fetchall()
print(f"{'device':<8} {'node':<24} {'trials':>6} {'ok':>4} {'stopped':>7} {'other':>5} {'s/trial':>8} {'epochs':>7} {'samples/s':>10}")
for d, n, c, ok, st, other, s, e, sps in rows:
    print(f"{d or '-':<8} {n or '-':<24} {c:>6} {ok or 0:>4} {st or 0:>7} {other or 0:>5} {s or 0:>8.1f} {e or 0:>7.1f} {sps or 0:>10.0f}")
gpu = sum(c for d, n, c, *_ in rows if d == sys.argv[2] and (n or '').startswith('gpu-0'))
print(f"trials of the GPU trainer node gpu-0 on {sys.argv[2]}: {gpu}")
sys.exit(0 if gpu > 0 else 3)
PY
cat "$q/devices.txt"; [ "$rc" = 0 ] || fail "no trial of the study ran on the GPU trainer node (device $dev0)"
step leaderboard-text timeout "$limit" "$b/bin/coordinator" leaderboard --db "$q/quick.db"
cp "$out/leaderboard-text.log" "$q/leaderboard.txt"
# The leaderboard as JSON from the store (run's own stdout also carries Akka's shutdown lines).
timeout "$limit" "$b/bin/coordinator" leaderboard --db "$q/quick.db" --json > "$q/leaderboard.json" || fail "leaderboard --json"
"$py" -c "import json,sys; json.load(open(sys.argv[1]))" "$q/leaderboard.json" || fail "leaderboard.json is not valid JSON"
step report timeout "$limit" "$b/bin/coordinator" report --db "$q/quick.db" --out "$q/report"

# --- summary ----------------------------------------------------------------------------------------------------------------
kill "${background[0]}" "${background[1]}" 2>/dev/null || true
"$py" - "$out/gpu-memory.csv" "$out/pids.txt" > "$out/gpu-memory-peaks.txt" <<'PY' || true
import sys, collections
labels = dict(line.split(maxsplit=1) for line in open(sys.argv[2]).read().split("\n") if line.strip())
peak = collections.defaultdict(int)
for line in open(sys.argv[1]):
    parts = [p.strip() for p in line.split(",")]
    if len(parts) >= 3 and parts[2].isdigit(): peak[parts[1]] = max(peak[parts[1]], int(parts[2]))
print("peak GPU memory per process (MiB, nvidia-smi every 2 s; local CPU trainers do not appear):")
for pid, mib in sorted(peak.items(), key=lambda kv: -kv[1]): print(f"  {labels.get(pid, 'pid ' + pid):<20} {mib:>8}")
PY
total=$(( $(date +%s) - t_start ))
{
  echo "RnnSearch GPU verification: all steps passed in $total s"
  cat "$b/VERSION"
  echo; cat "$out/gpu.csv" 2>/dev/null || true
  echo; cat "$out/kernel-ratios.txt"
  echo; echo "quick study per device:"; cat "$q/devices.txt"
  echo; cat "$out/gpu-memory-peaks.txt"
  echo; echo "timings (s):"; column -t -s $'\t' "$out/timings.tsv" 2>/dev/null || cat "$out/timings.tsv"
} > "$out/summary.txt"
echo; cat "$out/summary.txt"
