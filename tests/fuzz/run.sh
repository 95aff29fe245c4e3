#!/usr/bin/env bash
# A long fuzz run of one target, outside the test command:
#   bash tests/fuzz/run.sh TARGET SECONDS
# TARGET: evaluate_profile | load_bundle | share_link | rule_expression.
# Needs cargo-fuzz and a nightly toolchain (README.md beside this file). The committed
# corpus is read, never written: new inputs go to tests/fuzz/target/corpus/TARGET, and
# a crash is saved under tests/fuzz/artifacts/TARGET.
set -euo pipefail
cd "$(dirname "$0")/../.."
target=${1:?usage: run.sh TARGET SECONDS}
seconds=${2:?usage: run.sh TARGET SECONDS}
toolchain=${FUZZ_TOOLCHAIN:-nightly}
sanitizer=${FUZZ_SANITIZER:-address}

scratch=tests/fuzz/target/corpus/$target
mkdir -p "$scratch"
args=(-max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=4096)
dict=tests/fuzz/dict/$target.dict
if [ -f "$dict" ]; then args+=(-dict="$dict"); fi

# One job, at low priority: the machine has two cores and is shared.
exec nice -n 10 cargo +"$toolchain" fuzz run --fuzz-dir tests/fuzz -s "$sanitizer" \
  "$target" "$scratch" "tests/fuzz/corpus/$target" -- "${args[@]}"
