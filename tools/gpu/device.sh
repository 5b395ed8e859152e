#!/usr/bin/env bash
# Run THERE (the GPU machine the `device` tool lends), from the repository root:  bash tools/gpu/device.sh STEP...
#   stash   keep the carried .whl/p*/ loads in /tmp/gpukit, which outlives a call while the machine stays warm
#   arrays  base wheels + gpuscale; `gpuscale check`; the GPU tests of arrays, kernels and cuda_workers;
#           benchmarks/gpu.py --only arrays
#   cudf    cuDF from the stashed pieces (checksums first); `gpuscale check --backend gpu`; the real-cuDF legs of
#           the dataframe suite, TPC-H and the demo; benchmarks/gpu.py --only frames
#   tpch    TPC-H SF $TPCH_SF (default 10), every answer checked: gpuscale on cuDF against gpuscale on the CPU cores
#   profile where TPC-H queries $PROF_QUERIES (default 2,3) spend their time on cuDF at SF $PROF_SF (default 1), for each
#           device.tasks value in $PROF_TASKS (default 2,none): wall, device statistics, a sampling profile
#   dask-cuda  dask-cuda's own test modules against cuda_workers on this machine's GPUs (RMM, CuPy, and cuDF when
#           installed), from the carried dask-cuda wheel (tests/dask_cuda_api/dask_cuda_suite.py --real-gpus)
#   dask-cudf  dask_cudf's own test modules against gpuscale on the real cuDF (after `install-cudf`), from the carried
#           copy of its tests (tests/dask_cudf_api/dask_cudf_suite.py --real-cudf)
#   background  start `arrays` detached (it outlives the call), so the cuDF loads travel while it runs
#   install-cudf  install cuDF from the stashed pieces without running anything
#   collect     copy what the background step wrote so far into $OUT (what comes back) and show its last lines
#   wait        wait for the background step (at most $WAIT_S seconds, then stop it)
# Everything a step prints also goes to $OUT/<step>.txt, results to $OUT/<step>.json (what comes back).
set -uo pipefail
KIT=/tmp/gpukit SITE=/tmp/gpusite RES=/tmp/gpu-res TREE=/tmp/gpu-tree
CUDF_SITE=/tmp/gpusite-cudf   # its own folder: installing it must not change what a running `arrays` imports
OUT=${OUT:-/tmp/gpu-out}
mkdir -p "$KIT" "$SITE/bin" "$OUT"
export PYTHONPATH="$SITE:$PWD" PATH="$SITE/bin:$PATH" PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
PY=${PY:-python3}   # the device image's python; another one to try the steps elsewhere
PYTEST=($PY -m pytest -p no:cacheprovider -q -rfE --timeout 300 -o addopts=--strict-markers)
WIDE=()   # the dataframe leg: more processes (mostly host work), the last -n wins
$PY -c "import xdist" 2>/dev/null && PYTEST+=(-n 8) WIDE=(-n 12)   # the device image has pytest-xdist and 16 cores

stash() {
    for load in .whl/p*/; do [ -d "$load" ] && cp -r "$load". "$KIT"/; done
    du -sh "$KIT"/* 2>/dev/null
}

install() {  # folder, wheels...
    local target=$1; shift
    $PY -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target "$target" "$@"
}

base() {
    [ -f "$SITE/.base" ] && return 0
    install "$SITE" "$KIT"/base/*.whl || return 1
    printf '#!/usr/bin/env python3\nfrom cuda_workers.cli import main\nmain()\n' > "$SITE/bin/cuda-worker"
    # The image's numba-cuda 0.30.4 still registers np.row_stack, which its numpy 2.5 removed: without this alias
    # importing numba.cuda's array support (cuDF, numba kernels on CuPy) fails. A fix of the image, not gpuscale.
    printf 'import numpy\nif not hasattr(numpy, "row_stack"):\n    numpy.row_stack = numpy.vstack\n' > "$SITE/sitecustomize.py"
    chmod +x "$SITE/bin/cuda-worker" && touch "$SITE/.base"
}

versions() {
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
    nvidia-smi | sed -n 3p
    $PY - <<'PY'
import importlib, platform
print("python", platform.python_version())
for name in ("numpy", "pandas", "pyarrow", "cupy", "numba", "numba_cuda", "dask", "distributed", "rmm", "cudf"):
    try:
        print(name, importlib.import_module(name).__version__)
    except Exception as exc:
        print(name, "unavailable:", type(exc).__name__, exc)
PY
}

arrays() {
    base || { echo "FAILED: base wheels did not install"; return 1; }
    versions
    timeout -k 10 60 $PY -m gpuscale check --backend cupy
    timeout -s INT -k 20 180 "${PYTEST[@]}" -m gpu tests/array tests/kernels tests/runtime tests/xarray --junitxml="$OUT/arrays-junit.xml"
    # its own run, one test at a time: its conftest differs and each test starts a cluster on the one GPU
    timeout -s INT -k 20 120 $PY -m pytest -p no:cacheprovider -q -rfE -o addopts=--strict-markers -m gpu \
        tests/cuda_workers --junitxml="$OUT/cw-junit.xml"
    timeout -k 10 150 $PY -m benchmarks.gpu ${BENCH_ARGS:-} --only arrays --json "$OUT/arrays.json"
}

cudf_install() {  # (once) checksums of the carried pieces, then cuDF's wheels
    base || { echo "FAILED: base wheels did not install"; return 1; }
    [ -f "$CUDF_SITE/.cudf" ] && return 0
    (cd "$KIT" && sha256sum -c SHA256SUMS) || { echo "FAILED: a cuDF piece is missing or damaged"; return 1; }
    rm -rf "$KIT/bundle" && mkdir -p "$KIT/bundle" && cat "$KIT"/cudf-* | tar -C "$KIT/bundle" -xf - &&
        install "$CUDF_SITE" "$KIT"/bundle/*.whl || { echo "FAILED: cuDF did not install"; return 1; }
    # a frame on the device before anything long runs: a missing piece shows here in seconds
    PYTHONPATH="$CUDF_SITE:$PYTHONPATH" timeout 120 $PY -c 'import cudf; print("cuDF", cudf.__version__, "sums", cudf.DataFrame({"a": [1, 2, 3]}).a.sum())' &&
        touch "$CUDF_SITE/.cudf" || { echo "FAILED: cuDF does not import or run"; return 1; }
}

with_cudf() {  # cuDF installed (once) and importable by what runs next
    cudf_install || return 1
    export PYTHONPATH="$CUDF_SITE:$PYTHONPATH"
}

cudf() {
    with_cudf || return 1
    versions
    timeout -k 10 45 $PY -m gpuscale check --backend gpu
    # end to end first (README example, demo, the 22 TPC-H queries against DuckDB), then the dataframe suite
    timeout -s INT -k 20 120 "${PYTEST[@]}" -m gpu tests/test_readme.py tests/demo tests/tpch \
        --junitxml="$OUT/e2e-junit.xml"
    # 2,222 tests; the first run managed 1,269 in 200 s with 8 processes
    timeout -s INT -k 20 ${DF_S:-330} "${PYTEST[@]}" "${WIDE[@]}" -m gpu tests/dataframe --junitxml="$OUT/cudf-junit.xml"
    # the cuDF test of cuda_workers: the arrays step runs before cuDF is installed
    timeout -s INT -k 20 60 $PY -m pytest -p no:cacheprovider -q -rfE -o addopts=--strict-markers -m gpu -k cudf \
        tests/cuda_workers --junitxml="$OUT/cw-cudf-junit.xml"
    timeout -k 10 100 $PY -m benchmarks.gpu ${BENCH_ARGS:-} --only frames --profile --json "$OUT/cudf.json"
}

tpch() {  # TPC-H at scale factor $TPCH_SF (default 10): gpuscale on cuDF against gpuscale on all CPU cores
    with_cudf || return 1
    timeout -k 10 ${TPCH_S:-480} $PY -m benchmarks.tpch.run --sf "${TPCH_SF:-10}" --engines gpuscale,gpuscale-gpu \
        --queries "${TPCH_QUERIES:-1-22}" --repeat 1 --timeout 120 --tree worktree --output "$OUT/tpch"
}

profile() {  # benchmarks/gpu_profile.py: why queries on cuDF take the time they take
    with_cudf || return 1
    timeout -k 10 ${PROF_S:-300} $PY -m benchmarks.gpu_profile --sf "${PROF_SF:-1}" --queries "${PROF_QUERIES:-2,3}" \
        --tasks "${PROF_TASKS:-2,none}" --json "$OUT/profile.json"
}

dask_cuda() {  # after `arrays` (the base wheels); with cuDF when `install-cudf` ran
    base || { echo "FAILED: base wheels did not install"; return 1; }
    [ -f "$CUDF_SITE/.cudf" ] && export PYTHONPATH="$CUDF_SITE:$PYTHONPATH"
    timeout -k 10 ${DASK_CUDA_S:-240} $PY -m tests.dask_cuda_api.dask_cuda_suite --real-gpus --timeout 120 \
        --wheel "$(ls "$KIT"/suite/dask_cuda-*.whl | head -1)" --details "$OUT/dask-cuda-details"
    cp tests/dask_cuda_api/dask_cuda_suite.json "$OUT/dask-cuda.json"
}

dask_cudf() {  # after `install-cudf`: dask_cudf's tests on gpuscale with the real cuDF and CuPy
    base || { echo "FAILED: base wheels did not install"; return 1; }
    with_cudf || return 1
    timeout -k 10 ${DASK_CUDF_S:-300} $PY -m tests.dask_cudf_api.dask_cudf_suite --real-cudf --timeout 120 \
        --tests "$KIT/suite/dask-cudf-tests" --details "$OUT/dask-cudf-details"
    cp tests/dask_cudf_api/dask_cudf_suite.json "$OUT/dask-cudf.json"
}

background() {
    rm -rf "$RES" "$TREE" && mkdir -p "$RES" "$TREE"
    # from a copy of the tree: every `run` call re-copies the working tree, and the first run's detached tests
    # imported half-copied modules (92 collection errors) while the next loads travelled
    tar --exclude=./.whl -cf - . | tar -C "$TREE" -xf - || { echo "FAILED: could not copy the tree"; return 1; }
    (cd "$TREE" && OUT="$RES" setsid nohup bash -c "bash tools/gpu/device.sh arrays; touch $RES/arrays.done" \
        > "$RES/arrays.log" 2>&1 < /dev/null &)
    echo "arrays runs in the background; its results gather in $RES"
}

collect() {
    cp "$RES"/*.txt "$RES"/*.xml "$RES"/*.json "$OUT"/ 2>/dev/null
    tail -n 4 "$RES/arrays.log" 2>/dev/null
}

wait_background() {
    for _ in $(seq "${WAIT_S:-240}"); do [ -f "$RES/arrays.done" ] && return 0; sleep 1; done
    pkill -f "device.sh arrays"; echo "background arrays stopped after ${WAIT_S:-240} s"
}

for step in "$@"; do
    case "$step" in
        background|collect) "$step" ;;
        wait) wait_background ;;
        stash) stash ;;
        install-cudf) cudf_install ;;
        arrays|cudf|tpch|profile) echo "== $step $(date -u +%T)"; { time "$step"; } 2>&1 | tee -a "$OUT/$step.txt" ;;
        dask-cuda) echo "== $step $(date -u +%T)"; { time dask_cuda; } 2>&1 | tee -a "$OUT/$step.txt" ;;
        dask-cudf) echo "== $step $(date -u +%T)"; { time dask_cudf; } 2>&1 | tee -a "$OUT/$step.txt" ;;
        *) echo "unknown step: $step (stash, arrays, cudf)"; exit 2 ;;
    esac
done
