#!/usr/bin/env bash
# Coverage-guided fuzzing of one target with afl++ and SharpFuzz (docs/fuzzing.md).
#
#   tests/Toolkit.Rpc.Fuzz/fuzz.sh TARGET SECONDS      TARGET: frames | handshake | values
#
# Each run works in a fresh folder under $FUZZ_WORK (default ~/.cache/toolkit-fuzz), kept for inspection.
#
# Installs afl++ and the sharpfuzz tool when missing, publishes the target program into a fresh folder, instruments
# Toolkit.Rpc.dll and the generated serializers under test (in the targets' assembly), runs afl-fuzz for SECONDS
# from the seeds and the saved corpus, then reports. Exits non-zero when afl saved any crash or hang: those inputs are
# copied into the saved corpus too, so that the replay test reproduces them until the bug is fixed. The queue is
# minimized (afl-cmin) and replaces the target's saved corpus, under plain content-hash names.
set -euo pipefail

target=${1:-}
seconds=${2:-}
if [[ ! $target =~ ^(frames|handshake|values)$ || ! $seconds =~ ^[0-9]+$ ]]; then
  echo "usage: $0 frames|handshake|values SECONDS" >&2
  exit 2
fi

here=$(cd "$(dirname "$0")" && pwd)
seeds="$here/Corpus/Seeds/$target"
saved="$here/Corpus/Saved/$target"
max_saved=500            # files kept per target after minimization
max_saved_size=65536     # bytes; larger queue entries are not kept
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export PATH="$PATH:$HOME/.dotnet/tools"

# --- tools -----------------------------------------------------------------------------------------------------------
if ! command -v afl-fuzz >/dev/null; then
  echo "installing afl++"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++ >/dev/null
fi
if ! command -v sharpfuzz >/dev/null; then
  echo "installing the sharpfuzz tool"
  dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0 >/dev/null
fi

# --- build -----------------------------------------------------------------------------------------------------------
# Not under /tmp: afl-cmin refuses to run there.
mkdir -p "${FUZZ_WORK:=$HOME/.cache/toolkit-fuzz}"
work=$(mktemp -d "$FUZZ_WORK/$target.XXXXXX")
echo "work folder: $work"
# Two campaigns may start at once: one publish at a time, since they share the project's obj folder.
flock /tmp/toolkit-fuzz-publish.lock \
  dotnet publish "$here/Toolkit.Rpc.Fuzz.csproj" -c Release -o "$work/publish" -p:UseAppHost=false -nologo -v quiet >"$work/publish.log" \
  || { cat "$work/publish.log"; exit 1; }
# Instrumented code crashes outside afl, so findings are replayed with an uninstrumented copy.
cp -r "$work/publish" "$work/plain"
# Only the code under test is instrumented: the library, and the serializers the generator emitted into the targets'
# assembly (namespace Toolkit.Rpc.Generated). Never the runtime, SharpFuzz, or the targets' own harness code.
sharpfuzz "$work/publish/Toolkit.Rpc.dll" >/dev/null
sharpfuzz "$work/publish/Toolkit.Rpc.Fuzz.Targets.dll" Toolkit.Rpc.Generated >/dev/null
# A full path: afl-cmin looks the program up as a file.
program=("$(command -v dotnet)" "$work/publish/Toolkit.Rpc.Fuzz.dll" "$target")

# --- fuzz ------------------------------------------------------------------------------------------------------------
mkdir -p "$work/in" "$saved"
cp "$seeds"/* "$work/in/"
find "$saved" -maxdepth 1 -type f -name '*.bin' -exec cp {} "$work/in/" \;
echo "fuzzing $target for $seconds s from $(ls "$work/in" | wc -l) inputs"
# AFL_SKIP_BIN_CHECK and -m none: the program is the dotnet host, whose runtime reserves more address space than any
# limit. AFL_NO_AFFINITY: the machine's cores are shared with builds and other campaigns.
AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 \
  afl-fuzz -i "$work/in" -o "$work/out" -t 10000 -m none -V "$seconds" -- "${program[@]}" >"$work/afl.log" 2>&1 \
  || { tail -40 "$work/afl.log"; echo "afl-fuzz failed; its log: $work/afl.log"; exit 1; }

# --- report ----------------------------------------------------------------------------------------------------------
stats="$work/out/default/fuzzer_stats"
stat() { awk -F' *: *' -v key="$1" '$1 == key { print $2 }' "$stats"; }
run_time=$(( $(stat last_update) - $(stat start_time) ))
echo "target:        $target"
echo "run time:      ${run_time} s"
echo "executions:    $(stat execs_done) ($(awk -v e="$(stat execs_done)" -v t="$run_time" 'BEGIN { printf "%.0f", e / (t > 0 ? t : 1) }')/s on average; execs_per_sec $(stat execs_per_sec), last minute $(stat execs_ps_last_min))"
echo "coverage:      bitmap_cvg $(stat bitmap_cvg), edges_found $(stat edges_found) of $(stat total_edges)"
echo "corpus:        corpus_count $(stat corpus_count), stability $(stat stability)"

findings=0
for kind in crashes hangs; do
  for file in "$work/out/default/$kind"/id:*; do
    [ -e "$file" ] || continue
    findings=$((findings + 1))
    cp "$file" "$saved/${kind%es}-$(sha256sum "$file" | cut -c1-16).bin"
  done
done
echo "crashes:       $(find "$work/out/default/crashes" -name 'id:*' | wc -l)"
echo "hangs:         $(find "$work/out/default/hangs" -name 'id:*' | wc -l)"

# --- keep the corpus -------------------------------------------------------------------------------------------------
queue="$work/out/default/queue"
minimized="$work/minimized"
if AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 afl-cmin -i "$queue" -o "$minimized" -m none -t 10000 -- "${program[@]}" >"$work/cmin.log" 2>&1; then
  echo "afl-cmin kept $(ls "$minimized" | wc -l) of $(ls "$queue" | wc -l) queue entries"
else
  echo "afl-cmin failed (log: $work/cmin.log); keeping the smallest queue entries instead"
  mkdir -p "$minimized"
  find "$queue" -maxdepth 1 -type f -name 'id:*' -exec cp {} "$minimized/" \;
fi
# Plain content-hash names (afl's contain ':' and ','), no seed twice, none too large, at most $max_saved.
find "$saved" -maxdepth 1 -type f -name 'queue-*.bin' -delete
declare -A seen=()
for file in "$seeds"/*; do seen[$(sha256sum "$file" | cut -c1-64)]=1; done
kept=0
while read -r size file; do
  hash=$(sha256sum "$file" | cut -c1-64)
  if [[ -n ${seen[$hash]:-} || $size -gt $max_saved_size || $kept -ge $max_saved ]]; then continue; fi
  seen[$hash]=1
  cp "$file" "$saved/queue-${hash:0:16}.bin"
  kept=$((kept + 1))
done < <(find "$minimized" -maxdepth 1 -type f -printf '%s %p\n' | sort -n)
echo "saved corpus:  $(ls "$saved" | wc -l) files in ${saved#"$here/"}"

if [ "$findings" -gt 0 ]; then
  echo "FAILED: $findings crash or hang input(s), copied into ${saved#"$here/"}; what they do:"
  timeout 120 dotnet "$work/plain/Toolkit.Rpc.Fuzz.dll" replay "$target" "$work/out/default/crashes" "$work/out/default/hangs" | grep -v '^valid\|^rejected' || true
  exit 1
fi
echo "no crashes, no hangs"
