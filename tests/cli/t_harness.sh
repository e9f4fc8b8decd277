# The test harness itself (tests/cli/lib.sh, tests/run.sh, killrun.py): a
# failing check names its script line in TAP, the plan and the totals come
# last, a skip is a failure when CI=true, the seed is printed and replays.
. "$TOP/tests/cli/lib.sh"

S="$T/scratch"
mkdir -p "$S"
cat >"$S/t_scratch.sh" <<'SCRATCH'
. "$TOP/tests/cli/lib.sh"
helper() {
	expect_eq a b "in a helper"
}
expect_eq x x "passes"
expect_eq x y "fails here"
helper
skip "something optional" "the tool is missing"
echo "random $RANDOM $RANDOM"
done_testing
SCRATCH

# run SCRATCH-ENV...: the scratch test's output in $T/tap, its status in $rc
scratch() {
	env "$@" TOP="$TOP" LLMCOST="$LLMCOST" sh "$S/t_scratch.sh" >"$T/tap" 2>&1
	rc=$?
}

scratch LLMCOST_TEST_SEED=4242 CI=
expect_eq 1 "$rc" "a test with failed checks exits 1"
has() { grep -qxF -- "$1" "$T/tap" && ok "TAP has: $1" || bad "TAP lacks '$1': $(cat "$T/tap")"; }
has "# seed 4242 (replay: LLMCOST_TEST_SEED=4242 make test TESTS=t_scratch)"
has "ok 1 - passes: 'x'"
has "not ok 2 - fails here: got 'y', want 'x' # t_scratch.sh:6"
has "not ok 3 - in a helper: got 'b', want 'a' # t_scratch.sh:3 (called from line 7)"
has "ok 4 - something optional # SKIP the tool is missing"
has "1..4"
has "# 2 passed (1 skipped), 2 failed"
expect_eq "1..4" "$(grep -v '^#' "$T/tap" | tail -n 1)" "the plan comes after the checks"
first=$(grep '^random' "$T/tap")

# the same seed replays the same random choices; another seed differs
scratch LLMCOST_TEST_SEED=4242 CI=
expect_eq "$first" "$(grep '^random' "$T/tap")" "LLMCOST_TEST_SEED replays \$RANDOM"
scratch LLMCOST_TEST_SEED=77 CI=
[ "$first" != "$(grep '^random' "$T/tap")" ] && ok "another seed, other choices" || bad "seed 77 drew the same numbers as 4242"
scratch CI=
grep -q '^# seed [0-9][0-9]* (replay' "$T/tap" && ok "a fresh seed is printed" || bad "no seed line: $(head -n 2 "$T/tap")"

# in CI a skip fails, with its reason
scratch LLMCOST_TEST_SEED=1 CI=true
has "not ok 4 - something optional: the tool is missing (CI=true: every test must run) # t_scratch.sh:8"
has "# 1 passed, 3 failed"

# run.sh: one test's result file, then a summary that shows only the
# failing checks and exits non-zero
R="$T/results"
mkdir -p "$R"
printf 'ok 1 - fine\nnot ok 2 - broken # t_a.sh:9\n#   stderr: why\n1..2\n# 1 passed, 1 failed\n' >"$R/t_a.out"
echo 1 >"$R/t_a.rc"
printf 'ok 1 - fine\n1..1\n# 1 passed, 0 failed\n' >"$R/t_b.out"
echo 0 >"$R/t_b.rc"
sh "$TOP/tests/run.sh" summary "$R" t_a t_b t_c >"$T/sum" 2>&1
expect_eq 1 "$?" "summary exit status with a failure"
grep -qxF "not ok 2 - broken # t_a.sh:9" "$T/sum" && ok "summary shows the failing check" || bad "summary: $(cat "$T/sum")"
grep -q "^ok 1 - fine" "$T/sum" && bad "summary shows passed checks" || ok "summary hides passed checks"
grep -q "FAIL  t_c: did not run" "$T/sum" && ok "summary: a test without a result failed" || bad "summary: $(cat "$T/sum")"
expect_eq "3 test files, 2 failed" "$(tail -n 1 "$T/sum")" "summary total"
sh "$TOP/tests/run.sh" summary "$R" t_b >"$T/sum" 2>&1
expect_eq 0 "$?" "summary exit status when all passed"

# run.sh one: the result files, and a one-line verdict
LLMCOST_TEST_SEED=5 CI= sh "$TOP/tests/run.sh" one t_scratch "$R" "$S/t_scratch.sh" >"$T/one" 2>&1
expect_eq "FAIL  t_scratch" "$(sed 's/ ([0-9]*s)$//' "$T/one")" "run.sh one: verdict"
expect_eq 1 "$(cat "$R/t_scratch.rc")" "run.sh one: exit status kept"
grep -q "# t_scratch.sh:6$" "$R/t_scratch.out" && ok "run.sh one: output kept" || bad "run.sh one: $(cat "$R/t_scratch.out")"

# killrun.py takes its seed from LLMCOST_TEST_SEED and prints it
LLMCOST_TEST_SEED=31337 python3 "$TOP/tests/cli/killrun.py" --db "$T/k.db" --runs 1 -- \
	"$LLMCOST" --db "$T/k.db" models >"$T/kill" 2>&1
grep -q "killrun: seed 31337," "$T/kill" && ok "killrun prints the replayable seed" || bad "killrun: $(cat "$T/kill")"
done_testing
