#!/usr/bin/env bash
# The browser the console's tests drive (`make test` runs this): Debian's chromium, headless, at /usr/bin/chromium or
# wherever CHARGELINK_CHROMIUM says. Installed from Debian's packages when missing (about a minute); Playwright's own
# browser downloads are not available on these machines.
set -euo pipefail
say() { echo "browser: $*"; }
die() { echo "browser: $*" >&2; exit 1; }

chromium=${CHARGELINK_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  [ -z "${CHARGELINK_CHROMIUM:-}" ] || die "CHARGELINK_CHROMIUM=$chromium is not an executable"
  command -v apt-get >/dev/null || die "chromium is not installed and there is no apt-get here: install chromium, or set CHARGELINK_CHROMIUM"
  [ "$(id -u)" = 0 ] || die "chromium is not installed; installing it needs root (apt-get install chromium), or set CHARGELINK_CHROMIUM"
  say "installing Debian's chromium"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
say "$("$chromium" --version 2>/dev/null || echo "$chromium") at $chromium"
