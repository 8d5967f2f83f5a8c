#!/usr/bin/env bash
# Every C++ file in src/, data_prep/ and tests/ is as the pinned clang-format (.clang-format,
# installed into .venv by jobs/setup.sh) would write it. On failure: the files, and the fix
#   .venv/bin/clang-format -i $(git ls-files '*.cpp' '*.h')
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
format=${AU_CLANG_FORMAT:-$repo/.venv/bin/clang-format}
[ -x "$format" ] || { echo "FAIL: no $format (run jobs/setup.sh)" >&2; exit 1; }
mapfile -t files < <(cd "$repo" && find src data_prep tests -name '*.cpp' -o -name '*.h' | sort)
bad=()
for f in "${files[@]}"; do
  "$format" --dry-run --Werror "$repo/$f" > /dev/null 2>&1 || bad+=("$f")
done
if [ ${#bad[@]} -gt 0 ]; then
  printf 'not formatted: %s\n' "${bad[@]}"
  echo "FAIL: ${#bad[@]} of ${#files[@]} files differ from clang-format ($("$format" --version | head -1));" \
    "fix with: .venv/bin/clang-format -i ${bad[*]:0:3} ..." >&2
  exit 1
fi
echo "${#files[@]} files formatted as .clang-format says"
