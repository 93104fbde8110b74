#!/usr/bin/env bash
# Fails (and names the files) when a C++ source is not as the repository's .clang-format lays it out.
# Run by CTest; `scripts/check-format.sh --fix` formats them instead.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find engine app widgets tests installers -name '*.cpp' -o -name '*.h' | sort)
if [[ ${1:-} == --fix ]]; then
  clang-format -i "${files[@]}"
  exit 0
fi
bad=()
for f in "${files[@]}"; do
  clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if ((${#bad[@]})); then
  echo "not formatted (run scripts/check-format.sh --fix): ${bad[*]}"
  exit 1
fi
echo "${#files[@]} files formatted as .clang-format says"
