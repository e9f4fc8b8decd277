#!/bin/sh
# install.sh - the first quick-start command on Debian 12: installs what is
# missing (as root; otherwise prints the exact apt-get line and stops),
# builds llmcost, and runs the main job on the built-in data.
#   --no-run     install and build only
#   --run-only   install only what llmcost needs to build and run
#                (.ci/packages-run), not what its tests need too
#                (.ci/packages-test: python3, chromium, clang, valgrind, ...)
set -eu
cd "$(dirname "$0")"
lists=".ci/packages-run .ci/packages-test"
norun=0
for a in "$@"; do
	case $a in
	--no-run) norun=1 ;;
	--run-only) lists=.ci/packages-run ;;
	*) echo "usage: ./install.sh [--no-run] [--run-only]" >&2; exit 2 ;;
	esac
done
missing=""
for p in $(cat $lists); do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" -eq 0 ]; then
		apt-get update
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
	else
		echo "llmcost needs these Debian packages:$missing"
		echo "install them with:"
		echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends$missing"
		exit 1
	fi
fi
make
[ "$norun" -eq 1 ] && exit 0
echo
# the main job: the 2024 price collapse from the built-in data
echo "\$ ./llmcost report collapse --to 2024-12-31"
./llmcost report collapse --to 2024-12-31
