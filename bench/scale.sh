#!/usr/bin/env bash
# bench/scale.sh: fluxtf render, check and validate of 1,000 and 10,000
# environments in processes that may open only 256 files (ulimit -n 256,
# macOS's default), each timed with GNU time for its wall time, CPU time
# (user + sys: far steadier than wall time on a shared machine) and peak
# RSS. Every command must succeed: the script fails otherwise.
#
#   bash bench/scale.sh                            # print the report (markdown) on stdout
#   bash bench/scale.sh --write docs/benchmarks.md # also put it into that file, between
#                                                  # <!-- scale:begin --> and <!-- scale:end -->
#
# Knobs: SIZES (default "1000 10000"), NOFILE (default 256), SEED (default
# 1), NOTE (a remark printed with the run, such as "machine shared with
# other builds"). The fleets and their output live in a temporary folder
# that is removed at the end; nothing else is written (unless --write).
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$PWD
WRITE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --write) WRITE=${2:?--write needs a file}; shift 2 ;;
    --write=*) WRITE=${1#--write=}; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "scale.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
SIZES=${SIZES:-1000 10000}
NOFILE=${NOFILE:-256}
SEED=${SEED:-1}
NOTE=${NOTE:-}

say() { echo "== $*" >&2; }

if [ ! -x /usr/bin/time ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing GNU time (Debian package time)"
    apt-get install -y -qq time >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq time >/dev/null 2>&1; }
  fi
  [ -x /usr/bin/time ] || { echo "scale.sh: GNU time (/usr/bin/time) is missing: apt-get install time" >&2; exit 1; }
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/fluxtf-scale.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

say "building bin/fluxtf"
go build -o bin/fluxtf ./cmd/fluxtf
FLUXTF=$REPO/bin/fluxtf
go build -o "$TMP/fleetgen" ./bench/fleetgen

# run NAME ENVS COMMAND...: one run under ulimit -n $NOFILE, timed by GNU
# time; a row of the report, or the end of the script when it fails
: > "$TMP/rows"
run() {
  local name=$1 envs=$2
  shift 2
  say "$name ($envs environments, ulimit -n $NOFILE)"
  sync # no dirty pages of an earlier step written back during this one
  local code=0
  (ulimit -n "$NOFILE" && exec /usr/bin/time -v -o "$TMP/time" "$@") >/dev/null 2>"$TMP/err" || code=$?
  if [ "$code" != 0 ]; then
    echo "scale.sh: $name of $envs environments under ulimit -n $NOFILE: exit $code" >&2
    tail -n 5 "$TMP/err" >&2
    exit 1
  fi
  awk -v name="$name" -v envs="$envs" -F': ' '
    /Elapsed \(wall clock\) time/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i] }
    /User time \(seconds\)/ || /System time \(seconds\)/ { cpu += $2 }
    /Maximum resident set size/ { rss = $2 }
    END { printf "| %s | %d | %.2f | %.2f | %d |\n", name, envs, s, cpu, rss / 1024 }' "$TMP/time" >> "$TMP/rows"
}

files=""
for n in $SIZES; do
  say "generating a fleet of $n environments"
  "$TMP/fleetgen" specs -n "$n" -seed "$SEED" -out "$TMP/specs-$n"
  out=$TMP/out-$n
  run "render --all, empty output root" "$n" "$FLUXTF" render --all --specs "$TMP/specs-$n" --out "$out"
  run "render --all, up to date" "$n" "$FLUXTF" render --all --specs "$TMP/specs-$n" --out "$out"
  run "check --no-baseline (render in memory + drift + validate)" "$n" "$FLUXTF" check --no-baseline --specs "$TMP/specs-$n" --out "$out"
  # a pull request's check: the baseline (the base commit) mostly the same
  run "check --baseline (the same tree as the baseline)" "$n" "$FLUXTF" check --baseline "$out" --specs "$TMP/specs-$n" --out "$out"
  run "validate the output root" "$n" "$FLUXTF" validate "$out"
  files="$files${files:+, }$n environments: $(find "$out" -type f -name '*.yaml' | wc -l | tr -d ' ') files"
  rm -rf "$out" "$TMP/specs-$n"
done

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
{
  echo "Run: \`bash bench/scale.sh\` on $(date -u +%Y-%m-%d), SIZES=\"$SIZES\" NOFILE=$NOFILE SEED=$SEED, every command under \`ulimit -n $NOFILE\`, one run each, timed with GNU time.${NOTE:+ $NOTE.}"
  echo
  echo "Machine: $(nproc) CPUs${cpu:+ ($cpu)}, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) memory, $(go env GOVERSION) $(go env GOOS)/$(go env GOARCH), fluxtf $(git rev-parse --short HEAD 2>/dev/null || echo unknown). Fleets (bench/fleetgen, seed $SEED): $files."
  echo
  echo "| command | environments | wall s | CPU s (user + sys) | peak RSS MiB |"
  echo "|---|---:|---:|---:|---:|"
  cat "$TMP/rows"
} > "$TMP/report"
cat "$TMP/report"

if [ -n "$WRITE" ]; then
  if ! grep -q '<!-- scale:begin -->' "$WRITE" || ! grep -q '<!-- scale:end -->' "$WRITE"; then
    echo "scale.sh: $WRITE has no <!-- scale:begin --> … <!-- scale:end --> block" >&2
    exit 1
  fi
  awk -v report="$TMP/report" '
    /<!-- scale:begin -->/ { print; while ((getline line < report) > 0) print line; skip = 1; next }
    /<!-- scale:end -->/ { skip = 0 }
    !skip' "$WRITE" > "$TMP/doc"
  cat "$TMP/doc" > "$WRITE"
  say "wrote the report into $WRITE"
fi
