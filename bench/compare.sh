#!/usr/bin/env bash
# Runs thetalazy's benchmarks and the hand-written peers side by side, interleaved round by round so that every
# program sees the same machine state, and prints for each workload the ratio of thetalazy's time to the fastest
# peer's (below 1: thetalazy is faster) and gd-step's fraction of the float64 DGEMM roofline measured in the same run.
#
# Usage: bench/compare.sh [--rounds N] [--repeats N] [--warmup SECONDS] [--peers DIR] [WORKLOAD...]
#   WORKLOAD: gd-step, small-gd, phase-cell, entk, cnn-step, dgemm (each peer that has it); default: all six (entk's
#     PyTorch peer, a per-sample backward, takes about 2 minutes a round; phase-cell has only the NumPy peer and
#     cnn-step only the PyTorch one). thetalazy's own kernel workloads (limit-fcn, entk-cnn, limit-cnn-flatten,
#     limit-cnn-gap) have no peer: their times are listed without a ratio. With cnn-step, thetalazy also times
#     cnn-gemms (the step's GEMMs alone), and the step is reported against it and against the DGEMM rate.
#   --peers DIR: the folder of the peer scripts numpy_peer.py and pytorch_peer.py (default: $THETALAZY_PEERS)
#   --rounds N: rounds of (thetalazy, numpy, pytorch) per workload (default 3); each run times --repeats executions
#     after a warm-up (default 5); a program's time is the median over rounds of its per-run medians.
#   --warmup SECONDS: thetalazy's untimed runs first (default: bench's own, 3 s and then until the JIT compiler is
#     quiet; 0: one run, as the peers, which warm up with one run)
# Peers: numpy_peer.py runs with `python3`, pytorch_peer.py with `/usr/bin/python3` (Debian's python3-torch); a peer
# that is missing or fails is reported and left out. thetalazy runs through bin/thetalazy, which builds it when needed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=3
repeats=5
warmup=()   # empty: bench's default
peers="${THETALAZY_PEERS:-}"
workloads=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --repeats) repeats="$2"; shift 2 ;;
    --warmup) warmup=(--warmup "$2"); shift 2 ;;
    --peers) peers="$2"; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "unknown option $1; see --help" >&2; exit 2 ;;
    *) workloads+=("$1"); shift ;;
  esac
done
[ ${#workloads[@]} -eq 0 ] && workloads=(gd-step small-gd phase-cell entk cnn-step dgemm)
# cnn-step's own roofline, thetalazy's alone: the time of its GEMMs (reported against the step below)
for workload in "${workloads[@]}"; do
  [ "$workload" = cnn-step ] && [[ " ${workloads[*]} " != *" cnn-gemms "* ]] && workloads+=(cnn-gemms)
done
if [ -z "$peers" ] || [ ! -d "$peers" ]; then
  echo "compare.sh needs the folder of the peer scripts (numpy_peer.py, pytorch_peer.py): --peers DIR or THETALAZY_PEERS" >&2
  exit 2
fi
numpy_python="${NUMPY_PYTHON:-python3}"
torch_python="${TORCH_PYTHON:-/usr/bin/python3}"

# Build once before timing anything (bin/thetalazy builds when the jar is missing or stale).
"$root/bin/thetalazy" --help >/dev/null

results="$(mktemp)"
trap 'rm -f "$results"' EXIT
run() {  # program workload command...: appends "program workload <json>" or reports the failure
  local program="$1" workload="$2"; shift 2
  local line
  if line="$("$@" 2>/dev/null | tail -n 1)" && [ -n "$line" ] && [ "${line#\{}" != "$line" ]; then
    echo "$program $workload $line" >> "$results"
    printf '  %-9s %-10s %s\n' "$program" "$workload" "$(python3 -c 'import json,sys; print("%.4f s" % json.loads(sys.argv[1])["median_s"])' "$line")" >&2
  else
    printf '  %-9s %-10s failed or unavailable\n' "$program" "$workload" >&2
  fi
}
has_workload() {  # peer-script workload: whether the peer's argparse accepts the workload
  [ -f "$1" ] && grep -q "\"$2\"" "$1"
}
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" >&2
# Every program runs at its own defaults: a core type or thread timeout in this shell's environment (OpenBLAS reads
# them when it loads) is dropped for each, so that each library runs as a fresh install would.
defaults=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE -u OPENBLAS_THREAD_TIMEOUT)
echo "thetalazy's BLAS (bin/blas-env): $("${defaults[@]}" "$root/bin/blas-env" | tr '\n' ' ')" >&2
for workload in "${workloads[@]}"; do
  for ((r = 1; r <= rounds; r++)); do
    echo "round $r/$rounds: $workload" >&2
    run thetalazy "$workload" "${defaults[@]}" "$root/bin/thetalazy" bench "$workload" --repeats "$repeats" \
      "${warmup[@]}"
    if has_workload "$peers/numpy_peer.py" "$workload"; then
      run numpy "$workload" "${defaults[@]}" "$numpy_python" "$peers/numpy_peer.py" "$workload" --repeats "$repeats"
    fi
    if has_workload "$peers/pytorch_peer.py" "$workload"; then
      run pytorch "$workload" "${defaults[@]}" "$torch_python" "$peers/pytorch_peer.py" "$workload" --repeats "$repeats"
    fi
  done
done

python3 - "$results" <<'PY'
import json, statistics, sys
from collections import defaultdict

times = defaultdict(list)  # (program, workload) -> per-run medians
for line in open(sys.argv[1]):
    program, workload, payload = line.split(" ", 2)
    times[(program, workload)].append(json.loads(payload)["median_s"])
median = {key: statistics.median(values) for key, values in times.items()}
blas = {}
for line in open(sys.argv[1]):
    program, workload, payload = line.split(" ", 2)
    if program == "thetalazy" and "blas" in json.loads(payload):
        blas = json.loads(payload)
        break
if blas:
    version = f" {blas['blas_version']}" if blas.get("blas_version") else ""
    core = f" (core type {blas['blas_core_type']})" if blas.get("blas_core_type") else ""
    print(f"thetalazy computed with {blas['blas']}{version}{core} on {blas.get('cpu', 'an unknown CPU')}")
order = ["gd-step", "small-gd", "phase-cell", "entk", "cnn-step", "cnn-gemms", "dgemm"]
workloads = sorted({w for _, w in median}, key=lambda w: (order.index(w) if w in order else len(order), w))

print(f"{'workload':<11}{'thetalazy':>12}{'numpy':>12}{'pytorch':>12}{'ratio':>8}  (thetalazy / fastest peer; < 1 is faster)")
for w in workloads:
    row = [median.get((p, w)) for p in ("thetalazy", "numpy", "pytorch")]
    peers = [t for t in row[1:] if t is not None]
    ratio = row[0] / min(peers) if row[0] is not None and peers else None
    cells = "".join(f"{t:>11.4f}s" if t is not None else f"{'-':>12}" for t in row)
    print(f"{w:<11}{cells}{ratio:>8.2f}" if ratio is not None else f"{w:<11}{cells}{'-':>8}")

# cnn-step against the GEMMs it makes (cnn-gemms: 2 convolutions x 3 products of 2 x 64 x 12544 x C_in 9 flops each)
cnn_flops = 3 * 2 * 64 * 12544 * 9 * (1 + 64)
if ("thetalazy", "cnn-step") in median and ("thetalazy", "cnn-gemms") in median:
    step, gemms = median[("thetalazy", "cnn-step")], median[("thetalazy", "cnn-gemms")]
    line = (f"cnn-step: {cnn_flops / 1e9:.3f} GFLOP of GEMMs per step; the step takes {step / gemms:.2f}x the time of "
            f"its GEMMs alone ({gemms * 1e3:.1f} ms, {cnn_flops / gemms / 1e9:.1f} GFLOP/s)")
    if ("thetalazy", "dgemm") in median:
        roofline = 2 * 2048 ** 3 / median[("thetalazy", "dgemm")]
        line += f", {step * roofline / cnn_flops:.2f}x their time at the DGEMM n=2048 rate"
    print(line)

# gd-step: FCN d = 32, L = 3 hidden layers of width m = 2048, n = 256. The GEMMs a GD step needs, 2 n k out flops each:
# forward  2n (d m + (L-1) m^2 + m)                                (input layer, hidden layers, readout)
# backward 2n (m + m + 2 (L-1) m^2 + d m)                          (readout gradient and cotangent, hidden gradients
#                                                                   and cotangents, input-layer gradient)
n, d, m, L = 256, 32, 2048, 3
flops = 2 * n * (d * m + (L - 1) * m * m + m) + 2 * n * (2 * m + 2 * (L - 1) * m * m + d * m)
if ("thetalazy", "gd-step") in median and ("thetalazy", "dgemm") in median:
    dgemm = 2 * 2048 ** 3 / median[("thetalazy", "dgemm")] / 1e9
    achieved = flops / median[("thetalazy", "gd-step")] / 1e9
    print(f"gd-step: {flops / 1e9:.3f} GFLOP per step; thetalazy {achieved:.1f} GFLOP/s = "
          f"{achieved / dgemm:.0%} of its DGEMM n=2048 roofline ({dgemm:.1f} GFLOP/s in this run)")
    if ("numpy", "gd-step") in median:
        peer = flops / median[("numpy", "gd-step")] / 1e9
        line = f"         numpy {peer:.1f} GFLOP/s = {peer / dgemm:.0%} of the same roofline"
        if ("numpy", "dgemm") in median:
            line += f" (numpy's own DGEMM: {2 * 2048 ** 3 / median[('numpy', 'dgemm')] / 1e9:.1f} GFLOP/s)"
        print(line)
PY
