#!/usr/bin/env bash
# Runs every test project of the solution and ends with one summary line for the whole suite:
# "N passed, N failed, N skipped". Exits non-zero if any test failed or none ran.
set -uo pipefail
configuration=${1:-Release}
log=$(mktemp)
dotnet test ChargeLink.sln -c "$configuration" --no-build -nologo --logger "console;verbosity=normal" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
# Each assembly's run ends with "Total tests: N" and then "     Passed: N", "     Failed: N", "    Skipped: N".
read -r passed failed skipped < <(awk '
  /^ *Passed: *[0-9]+ *$/ { p += $2 } /^ *Failed: *[0-9]+ *$/ { f += $2 } /^ *Skipped: *[0-9]+ *$/ { s += $2 }
  END { print p + 0, f + 0, s + 0 }' "$log")
rm -f "$log"
echo
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$passed" -eq 0 ]; then echo "no test ran" >&2; exit 1; fi
exit "$rc"
