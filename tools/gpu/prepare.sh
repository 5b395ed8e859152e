#!/usr/bin/env bash
# Run HERE (a machine that reaches PyPI), before a session with a GPU: fetch the wheels the device machine lacks
# and cut them into loads that fit one `run` call each (64 MiB with the working tree). Writes .whl/ (ignored):
#   .whl/p0/  the base wheels (tools/gpu/base.txt) + the first piece of the cuDF bundle (tools/gpu/cudf.txt)
#   .whl/pN/  the next pieces of the cuDF bundle, and SHA256SUMS of the pieces in .whl/p0
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
EXCLUDE=$(git rev-parse --git-path info/exclude)
mkdir -p "$(dirname "$EXCLUDE")" && touch "$EXCLUDE"
grep -qx '/.whl/' "$EXCLUDE" || echo '/.whl/' >> "$EXCLUDE"   # never committed, carried only
MIB=$((1024 * 1024))
TREE=$(git ls-files -z | du -cb --files0-from=- | tail -1 | cut -f1)
LIMIT=$((64 * MIB - TREE - 2 * MIB))          # what one call may carry besides the tree (2 MiB to spare)
download() {  # dest, requirements file
    grep -v '^#' "$2" | xargs python3 -m pip download -q --disable-pip-version-check --no-deps --only-binary=:all: --python-version 3.12 \
        --implementation cp --platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 \
        --platform manylinux_2_24_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
        --platform manylinux1_x86_64 --platform any -d "$1"
}
rm -rf .whl && mkdir -p .whl/p0/base .whl/bundle
download .whl/p0/base tools/gpu/base.txt
# dask-cuda's wheel only for its tests (the `dask-cuda` step runs them against cuda_workers); never installed there
mkdir -p .whl/p0/suite && python3 -m pip download -q --disable-pip-version-check --no-deps dask-cuda==26.10.0 -d .whl/p0/suite
# dask_cudf's tests (from rapidsai/cudf's source: its wheel has none) for the `dask-cudf` step: the copy the dask_cudf
# suite unpacked here, or one unpacked now from $CUDF_SOURCE (a checkout or bare clone of rapidsai/cudf)
python3 -m tests.dask_cudf_api.dask_cudf_suite --unpack-only --tests .whl/p0/suite/dask-cudf-tests \
    ${CUDF_SOURCE:+--source "$CUDF_SOURCE"} || echo "WARNING: no dask_cudf tests to carry (set CUDF_SOURCE)"
download .whl/bundle tools/gpu/cudf.txt
tar -C .whl/bundle -cf .whl/cudf.tar . && rm -rf .whl/bundle
BASE=$(du -cb .whl/p0/base .whl/p0/suite | tail -1 | cut -f1)
FIRST=$((LIMIT - BASE))
head -c "$FIRST" .whl/cudf.tar > .whl/p0/cudf-00
tail -c +$((FIRST + 1)) .whl/cudf.tar | split -b "$LIMIT" -d -a 2 --numeric-suffixes=1 - .whl/piece-
for piece in .whl/piece-*; do n=$((10#${piece##*-})); mkdir -p ".whl/p$n"; mv "$piece" ".whl/p$n/cudf-$(printf %02d "$n")"; done
(cd .whl && sha256sum p*/cudf-* | sed 's#p[0-9]*/##' > p0/SHA256SUMS) && rm .whl/cudf.tar
python3 tools/gpu/check_requires.py .whl || echo "WARNING: carry the missing wheels too (add them to base.txt or cudf.txt)"
echo "carry one folder per call, in order:" && du -sh .whl/p*
