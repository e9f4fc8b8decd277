#!/bin/sh
# install.sh - the first quick-start command on Debian 12: installs what is
# missing (as root; otherwise prints the exact apt-get line and stops),
# builds llmcost, and runs the main job on the built-in data.
#   --no-run   install and build only
set -eu
cd "$(dirname "$0")"
missing=""
for p in $(cat .ci/packages); do
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
[ "${1:-}" = "--no-run" ] && exit 0
echo
# the main job: the 2024 price collapse from the built-in data
echo "\$ ./llmcost report collapse --to 2024-12-31"
./llmcost report collapse --to 2024-12-31
