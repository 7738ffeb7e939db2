#!/usr/bin/env bash
# bench/compare.sh: fluxtf against conftest and kubeconform, and fluxtf at
# scale, on a synthetic fleet generated for the run (bench/fleetgen).
#
#   bash bench/compare.sh                          # print the report (markdown) on stdout
#   bash bench/compare.sh --write docs/benchmarks.md
#                                                  # also put it into that file, between
#                                                  # <!-- bench:begin --> and <!-- bench:end -->
#
# Every comparison is timed in the same run, several runs each (hyperfine
# when it is there; as root it is installed from Debian), and reported as
# medians and ratios. Peak RSS comes from GNU time (Debian package time).
# Knobs: RUNS (default 5), SLOW_RUNS for the commands that take a minute
# (default 2), ENVS (default 1000), SEED (default 1).
#
# It builds bin/fluxtf, uses the pinned conftest in bin/tools (installed
# like `make tools` does when missing) and installs the pinned kubeconform
# there too. Nothing else is written into the repository (unless --write);
# the fleet, the corpora and the schemas live in a temporary folder that is
# removed at the end.
set -euo pipefail

KUBECONFORM_VERSION=v0.8.0 # v0.8.0 builds with Go 1.26

cd "$(dirname "$0")/.."
REPO=$PWD
WRITE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --write) WRITE=${2:?--write needs a file}; shift 2 ;;
    --write=*) WRITE=${1#--write=}; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "compare.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
RUNS=${RUNS:-5}
SLOW_RUNS=${SLOW_RUNS:-2}
ENVS=${ENVS:-1000}
SEED=${SEED:-1}
TOOLS=$REPO/bin/tools
export PATH="$TOOLS:$PATH"

say() { echo "== $*" >&2; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/fluxtf-bench.XXXXXX")
# RAM: a folder in memory (tmpfs /dev/shm, when there is one with room),
# to time rendering into an empty output root without the disk: on a VM
# the disk's write-back makes those times swing several-fold from run to run
RAM=""
if [ -d /dev/shm ] && [ -w /dev/shm ] && [ "$(df -Pk /dev/shm | awk 'NR == 2 { print $4 }')" -gt 1048576 ]; then
  RAM=$(mktemp -d /dev/shm/fluxtf-bench.XXXXXX)
fi
cleanup() { chmod -R u+w "$TMP" 2>/dev/null || true; rm -rf "$TMP" ${RAM:+"$RAM"}; }
trap cleanup EXIT

# --- tools -----------------------------------------------------------------
apt_install() { # apt_install PACKAGE: as root on Debian only
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || return 1
  say "installing $1 (Debian package)"
  apt-get install -y -qq "$1" >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq "$1" >/dev/null 2>&1; }
}

say "building bin/fluxtf"
go build -o bin/fluxtf ./cmd/fluxtf
FLUXTF=$REPO/bin/fluxtf
go build -o "$TMP/fleetgen" ./bench/fleetgen
go build -o "$TMP/crdschema" ./bench/crdschema

if [ ! -x "$TOOLS/conftest" ]; then
  v=$(sed -n 's/^CONFTEST_VERSION *:= *//p' Makefile)
  say "installing conftest $v into bin/tools"
  GOBIN=$TOOLS go install "github.com/open-policy-agent/conftest@$v"
fi
if [ ! -x "$TOOLS/kubeconform" ]; then
  say "installing kubeconform $KUBECONFORM_VERSION into bin/tools"
  GOBIN=$TOOLS go install "github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION"
fi
command -v hyperfine >/dev/null || apt_install hyperfine || say "hyperfine missing: timing with a plain loop"
[ -x /usr/bin/time ] || apt_install time || say "GNU time missing: no peak RSS"

# --- data --------------------------------------------------------------------
# a fleet of ENVS environments and one of ENVS/10; the corpora: per
# environment one file with its GitRepository and first base Terraform
# (2 documents), for ENVS and 10*ENVS environments
SMALL=$((ENVS / 10))
BIG=$((ENVS * 10))
say "generating fleets of $SMALL, $ENVS and $BIG environments"
"$TMP/fleetgen" specs -n "$ENVS" -seed "$SEED" -out "$TMP/specs-$ENVS"
"$TMP/fleetgen" specs -n "$SMALL" -seed "$SEED" -out "$TMP/specs-$SMALL"
"$TMP/fleetgen" specs -n "$BIG" -seed "$SEED" -out "$TMP/specs-$BIG"
say "building the validation corpora"
"$TMP/fleetgen" corpus -specs "$TMP/specs-$ENVS" -out "$TMP/corpus-$ENVS"
"$TMP/fleetgen" corpus -specs "$TMP/specs-$BIG" -out "$TMP/corpus-$BIG"
say "rendering the fleets"
"$FLUXTF" render --all --specs "$TMP/specs-$ENVS" --out "$TMP/out-$ENVS" 2>/dev/null
"$FLUXTF" render --all --specs "$TMP/specs-$SMALL" --out "$TMP/out-$SMALL" 2>/dev/null
"$TMP/crdschema" -out "$TMP/schemas" "$REPO"/../shared/upstream/crds/*.yaml 2>/dev/null ||
  { say "no upstream CRDs in ../shared/upstream/crds: kubeconform is skipped"; rm -rf "$TMP/schemas"; }
# the bundled examples' rendered files, as conftest's parity test passes them
mapfile -t FIXTURE_FILES < <(find fixtures/clusters -name '*.yaml' ! -name kustomization.yaml | sort)

count_files() { find "$1" -type f -name '*.yaml' | wc -l | tr -d ' '; }
count_docs() { cat "$1"/*.yaml | grep -c '^kind:' ; }

# --- timing ------------------------------------------------------------------
# bench NAME RUNS COMMAND [PREPARE]: median, min and max wall seconds into
# $TMP/results (one line: NAME median min max runs exit); the command's exit
# code is recorded, not enforced (conftest and fluxtf exit 1 on findings).
: > "$TMP/results"
bench() {
  local name=$1 runs=$2 cmd=$3 prep=${4:-}
  local shown=$cmd
  [ ${#shown} -gt 160 ] && shown="${shown:0:160}…"
  say "timing $name ($runs runs): $shown"
  sync # start with no dirty pages of an earlier step being written back
  local code=0
  (eval "$cmd") >/dev/null 2>&1 || code=$?
  if command -v hyperfine >/dev/null; then
    local warm=1
    [ "$runs" -lt 3 ] && warm=0 # the slow ones: their first run is warm enough
    local args=(--runs "$runs" --warmup "$warm" -i --style none --export-json "$TMP/h.json" -n "$name")
    [ -n "$prep" ] && args+=(--prepare "$prep")
    hyperfine "${args[@]}" "$cmd" >/dev/null 2>&1
    # times from the JSON: one "times" array per command
    tr -d ' \n' < "$TMP/h.json" | sed 's/.*"times":\[\([^]]*\)\].*/\1/' | tr ',' '\n' | sort -g > "$TMP/times"
  else
    : > "$TMP/times"
    for _ in $(seq "$runs"); do
      [ -n "$prep" ] && eval "$prep" >/dev/null 2>&1
      local t0 t1
      t0=$(date +%s.%N)
      (eval "$cmd") >/dev/null 2>&1 || true
      t1=$(date +%s.%N)
      awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }' >> "$TMP/times"
    done
    sort -g -o "$TMP/times" "$TMP/times"
  fi
  awk -v name="$name" -v runs="$runs" -v code="$code" '
    { t[NR] = $1 }
    END { m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
          printf "%s %.4f %.4f %.4f %d %d\n", name, m, t[1], t[NR], NR, code }' "$TMP/times" >> "$TMP/results"
}

# rss NAME COMMAND [PREPARE]: peak RSS in MiB of one run into $TMP/rss
: > "$TMP/rss"
rss() {
  local name=$1 cmd=$2 prep=${3:-}
  [ -x /usr/bin/time ] || { echo "$name n/a" >> "$TMP/rss"; return; }
  [ -n "$prep" ] && eval "$prep" >/dev/null 2>&1
  /usr/bin/time -v bash -c "$cmd" >/dev/null 2>"$TMP/time.txt" || true
  awk -v name="$name" -F: '/Maximum resident set size/ { printf "%s %.0f\n", name, $2 / 1024 }' "$TMP/time.txt" >> "$TMP/rss"
}

C1=$TMP/corpus-$ENVS
C10=$TMP/corpus-$BIG
POLICY="-p $REPO/policies"
SCHEMA_LOC="$TMP/schemas/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json"

# Pairs that make a ratio are timed one right after the other: the
# machine's load drifts over minutes, not seconds.
# (a) validation of the corpus: fluxtf against conftest, same policies;
# (d) with 10 times the files
bench validate "$RUNS" "$FLUXTF validate $C1"
bench validate-10x "$SLOW_RUNS" "$FLUXTF validate $C10"
bench conftest-combine "$RUNS" "conftest test --combine --all-namespaces --no-color $POLICY $C1"
bench conftest-per-file "$SLOW_RUNS" "conftest test --all-namespaces --no-color $POLICY $C1"
# (b) schema only
if [ -d "$TMP/schemas" ]; then
  bench kubeconform "$RUNS" "kubeconform -strict -summary -schema-location '$SCHEMA_LOC' $C1"
fi
# (c) render + validate of the fleet: up to date (rendered and compared,
# nothing written) and cold (empty output root: every file written); (d)
# the same with a tenth of the environments
OUT=$TMP/out-$ENVS
bench render-warm "$RUNS" "$FLUXTF render --all --specs $TMP/specs-$ENVS --out $OUT"
bench render-warm-0.1x "$RUNS" "$FLUXTF render --all --specs $TMP/specs-$SMALL --out $TMP/out-$SMALL"
bench validate-rendered "$RUNS" "$FLUXTF validate $OUT"
bench check-fleet "$RUNS" "$FLUXTF check --specs $TMP/specs-$ENVS --out $OUT --no-baseline"
bench render-cold "$RUNS" "$FLUXTF render --all --specs $TMP/specs-$ENVS --out $TMP/cold" "rm -rf $TMP/cold; sync"
bench render-cold-0.1x "$RUNS" "$FLUXTF render --all --specs $TMP/specs-$SMALL --out $TMP/cold" "rm -rf $TMP/cold; sync"
bench cp-r "$RUNS" "cp -r $OUT $TMP/copy" "rm -rf $TMP/copy; sync"
bench cp-r-0.1x "$RUNS" "cp -r $TMP/out-$SMALL $TMP/copy" "rm -rf $TMP/copy; sync"
if [ -n "$RAM" ]; then
  bench render-cold-ram "$RUNS" "$FLUXTF render --all --specs $TMP/specs-$ENVS --out $RAM/cold" "rm -rf $RAM/cold"
  bench render-cold-ram-0.1x "$RUNS" "$FLUXTF render --all --specs $TMP/specs-$SMALL --out $RAM/cold" "rm -rf $RAM/cold"
  rm -rf "$RAM/cold"
fi
rss render-cold "$FLUXTF render --all --specs $TMP/specs-$ENVS --out $TMP/cold" "rm -rf $TMP/cold; sync"
rss render-warm "$FLUXTF render --all --specs $TMP/specs-$ENVS --out $OUT"
rss validate-rendered "$FLUXTF validate $OUT"
rss check-fleet "$FLUXTF check --specs $TMP/specs-$ENVS --out $OUT --no-baseline"
rss validate "$FLUXTF validate $C1"
rss validate-10x "$FLUXTF validate $C10"
rss conftest-combine "conftest test --combine --all-namespaces --no-color $POLICY $C1"
# (e) the hook on the bundled examples against conftest on the same files
bench check-fixtures "$RUNS" "$FLUXTF check --specs fixtures/environments --out fixtures/clusters --no-baseline"
bench conftest-fixtures "$RUNS" "conftest test --combine --all-namespaces --no-color $POLICY ${FIXTURE_FILES[*]}"
bench validate-fixtures "$RUNS" "$FLUXTF validate ${FIXTURE_FILES[*]}"

# --- report ------------------------------------------------------------------
med() { awk -v n="$1" '$1 == n { print $2 }' "$TMP/results"; }
mib() { awk -v n="$1" '$1 == n { print $2 }' "$TMP/rss"; }
ratio() { awk -v a="$(med "$1")" -v b="$(med "$2")" 'BEGIN { if (a == "" || b == "" || b == 0) print "n/a"; else printf "%.1f×", a / b }'; }
sum() { awk -v a="$(med "$1")" -v b="$(med "$2")" 'BEGIN { printf "%.2f", a + b }'; }
verdict() { if awk "BEGIN { exit !($1) }"; then echo "met"; else echo "**not met**"; fi; }

mem=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
timer=$(command -v hyperfine >/dev/null && hyperfine --version || echo "a shell loop (date +%s.%N)")
report=$TMP/report.md
{
  echo "Run: \`bash bench/compare.sh\` on $(date -u +%Y-%m-%d), RUNS=$RUNS SLOW_RUNS=$SLOW_RUNS ENVS=$ENVS SEED=$SEED, timed with $timer (one warm-up run each, none for the SLOW_RUNS ones)."
  echo
  echo "Machine: $(nproc) CPUs ($cpu), $mem memory, $(go version | cut -d' ' -f3-), Linux $(uname -r), fluxtf $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo ' (+ uncommitted changes)'), conftest $(sed -n 's/^CONFTEST_VERSION *:= *//p' Makefile), kubeconform $KUBECONFORM_VERSION."
  echo
  echo "Data: a synthetic fleet (bench/fleetgen, seed $SEED) of $ENVS environments ($(count_files "$OUT") rendered files, $(grep -rc --exclude=kustomization.yaml '^kind: ' "$OUT" | awk -F: '{s+=$2} END {print s}') objects); the corpus is one file per environment holding its GitRepository and its first base Terraform: $(count_files "$C1") files, $(count_docs "$C1") documents (and $(count_files "$C10") files for 10×)."
  echo
  echo "| # | measurement | command | median s | min–max s | runs | exit |"
  echo "|---|---|---|---:|---:|---:|---:|"
  while read -r name m lo hi n code; do
    case $name in
      validate) what="a: fluxtf validate, corpus"; c="fluxtf validate CORPUS" ;;
      conftest-combine) what="a: conftest, combined, corpus"; c="conftest test --combine --all-namespaces -p policies CORPUS" ;;
      conftest-per-file) what="a: conftest, per file, corpus"; c="conftest test --all-namespaces -p policies CORPUS" ;;
      kubeconform) what="b: kubeconform schema only, corpus"; c="kubeconform -strict -summary -schema-location SCHEMAS CORPUS" ;;
      render-cold) what="c: render $ENVS envs, empty output"; c="fluxtf render --all (every file written)" ;;
      cp-r) what="c: cp -r of the same tree (disk floor)"; c="cp -r OUT COPY" ;;
      cp-r-0.1x) what="d: cp -r of the $SMALL envs' tree"; c="cp -r OUT COPY" ;;
      render-cold-ram) what="c: render $ENVS envs, empty output in RAM (tmpfs)"; c="fluxtf render --all --out /dev/shm/…" ;;
      render-cold-ram-0.1x) what="d: render $SMALL envs, empty output in RAM (tmpfs)"; c="fluxtf render --all --out /dev/shm/…" ;;
      render-warm) what="c: render $ENVS envs, up to date"; c="fluxtf render --all (nothing to write)" ;;
      validate-rendered) what="c: validate the rendered $ENVS envs"; c="fluxtf validate OUT" ;;
      check-fleet) what="c: render in memory + drift + validate, $ENVS envs, one process"; c="fluxtf check --no-baseline" ;;
      render-warm-0.1x) what="d: render $SMALL envs, up to date"; c="fluxtf render --all" ;;
      render-cold-0.1x) what="d: render $SMALL envs, empty output"; c="fluxtf render --all" ;;
      validate-10x) what="d: validate $BIG files"; c="fluxtf validate CORPUS10" ;;
      check-fixtures) what="e: fluxtf check, bundled examples"; c="fluxtf check --no-baseline" ;;
      conftest-fixtures) what="e: conftest, same rendered files"; c="conftest test --combine --all-namespaces -p policies FILES" ;;
      validate-fixtures) what="e: fluxtf validate, same files"; c="fluxtf validate FILES" ;;
      *) what=$name; c="" ;;
    esac
    printf '| %s | %s | `%s` | %.3f | %.3f–%.3f | %s | %s |\n' "${what%%:*}" "${what#*: }" "$c" "$m" "$lo" "$hi" "$n" "$code"
  done < "$TMP/results"
  echo
  echo "Peak RSS (GNU time, one run each): $(awk '{ printf "%s%s %s MiB", sep, $1, $2; sep = ", " }' "$TMP/rss")."
  echo
  echo "| target | measured | verdict |"
  echo "|---|---|---|"
  r=$(ratio conftest-combine validate)
  echo "| a: validate 1,000 files ≥ 5× faster than conftest (same policies) | conftest --combine / fluxtf = $r (per file: $(ratio conftest-per-file validate)) | $(verdict "$(med conftest-combine) >= 5 * $(med validate)") |"
  if [ -d "$TMP/schemas" ]; then
    echo "| b: against schema-only kubeconform (no target) | fluxtf / kubeconform = $(ratio validate kubeconform) | — |"
  fi
  tw=$(sum render-warm validate-rendered)
  tc=$(sum render-cold validate-rendered)
  peak=$(awk '$1 ~ /^(render-cold|render-warm|validate-rendered)$/ && $2 > m { m = $2 } END { print m + 0 }' "$TMP/rss")
  echo "| c: render + validate $ENVS environments < 2 s | up to date: $tw s; empty output: $tc s (cp -r of the tree alone: $(printf %.2f "$(med cp-r)") s) | $(verdict "$tw < 2") (up to date), $(verdict "$tc < 2") (empty) |"
  if [ -n "$(med render-cold-ram)" ]; then
    tr=$(sum render-cold-ram validate-rendered)
    echo "| c: … empty output in RAM (tmpfs), no disk | $tr s | $(verdict "$tr < 2") |"
  fi
  echo "| c: … in one process (fluxtf check: render in memory, compare, validate) | $(printf %.2f "$(med check-fleet)") s | $(verdict "$(med check-fleet) < 2") |"
  echo "| c: … peak RSS < 300 MiB | render + validate: $peak MiB; check: $(mib check-fleet) MiB | $(verdict "$peak < 300") (render + validate), $(verdict "$(mib check-fleet) < 300") (check) |"
  echo "| d: 10× the environments costs ≤ 12× the time (render) | up to date $(ratio render-warm render-warm-0.1x), empty output $(ratio render-cold render-cold-0.1x) (cp -r of the trees: $(ratio cp-r cp-r-0.1x)) | $(verdict "$(med render-warm) <= 12 * $(med render-warm-0.1x)") (up to date), $(verdict "$(med render-cold) <= 12 * $(med render-cold-0.1x)") (empty, disk) |"
  if [ -n "$(med render-cold-ram)" ]; then
    echo "| d: … empty output in RAM (tmpfs), no disk | $(ratio render-cold-ram render-cold-ram-0.1x) | $(verdict "$(med render-cold-ram) <= 12 * $(med render-cold-ram-0.1x)") |"
  fi
  echo "| d: 10× the files costs ≤ 12× the time (validate) | $(ratio validate-10x validate) | $(verdict "$(med validate-10x) <= 12 * $(med validate)") |"
  echo "| e: fluxtf check on the examples no slower than conftest on the same files | check / conftest = $(ratio check-fixtures conftest-fixtures) (validate / conftest = $(ratio validate-fixtures conftest-fixtures)) | $(verdict "$(med check-fixtures) <= $(med conftest-fixtures)") |"
} > "$report"

cat "$report"
if [ -n "$WRITE" ]; then
  if grep -q '<!-- bench:begin -->' "$WRITE" 2>/dev/null; then
    awk -v rep="$report" '
      /<!-- bench:begin -->/ { print; while ((getline l < rep) > 0) print l; skip = 1; next }
      /<!-- bench:end -->/ { skip = 0 }
      !skip' "$WRITE" > "$TMP/doc" && cat "$TMP/doc" > "$WRITE"
  else
    { echo '<!-- bench:begin -->'; cat "$report"; echo '<!-- bench:end -->'; } > "$WRITE"
  fi
  say "wrote $WRITE"
fi
