# The package lists: install.sh installs what llmcost needs to run
# (.ci/packages-run) and, unless --run-only, what its tests need too
# (.ci/packages-test); .ci/run installs both; the lists do not overlap.
# install.sh runs here with a fake dpkg-query (nothing installed) and a fake
# id (not root), so it only prints the apt-get line and stops.
. "$TOP/tests/cli/lib.sh"

RUN=$(cat "$TOP/.ci/packages-run")
TST=$(cat "$TOP/.ci/packages-test")
for p in gcc make libsqlite3-dev libcurl4-openssl-dev libcjson-dev gnuplot-nox libpq-dev; do
	printf '%s\n' $RUN | grep -qxF "$p" && ok "$p is in packages-run" || bad "$p is not in .ci/packages-run"
done
for p in python3 chromium clang valgrind postgresql; do
	printf '%s\n' $TST | grep -qxF "$p" && ok "$p is in packages-test" || bad "$p is not in .ci/packages-test"
done
both=$(printf '%s\n' $RUN $TST | sort | uniq -d)
expect_eq "" "$both" "packages in both lists"

F="$T/fake"
mkdir -p "$F"
printf '#!/bin/sh\nexit 1\n' >"$F/dpkg-query"
printf '#!/bin/sh\necho 1000\n' >"$F/id"
chmod +x "$F/dpkg-query" "$F/id"
line() { # ARGS: install.sh's exit status in $rc, the packages it asks for in $got
	PATH="$F:$PATH" sh "$TOP/install.sh" "$@" >"$T/out" 2>"$T/err"
	rc=$?
	got=$(sed -n 's/^  sudo apt-get update && sudo apt-get install -y --no-install-recommends //p' "$T/out" |
		tr ' ' '\n' | sed '/^$/d' | sort)
}
ctx="install.sh"
line
expect_eq 1 "$rc" "install.sh without root, packages missing: exit status"
expect_eq "$(printf '%s\n' $RUN $TST | sort)" "$got" "install.sh asks for both lists"
ctx="install.sh --run-only"
line --run-only
expect_eq "$(printf '%s\n' $RUN | sort)" "$got" "install.sh --run-only asks for the run list only"
PATH="$F:$PATH" sh "$TOP/install.sh" --bogus >"$T/out" 2>"$T/err"
expect_eq 2 "$?" "install.sh with an unknown option"
grep -q 'cat .ci/packages-run .ci/packages-test' "$TOP/.ci/run" && ok ".ci/run installs both lists" ||
	bad ".ci/run does not install both package lists"
grep -q '^export CI=true' "$TOP/.ci/run" && ok ".ci/run sets CI=true" || bad ".ci/run does not export CI=true"
done_testing
