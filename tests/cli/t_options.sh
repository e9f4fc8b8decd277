# Options come from one table per command (cmd/opt.h): every command's and
# subcommand's `--help` is exactly `llmcost help CMD [SUB]`; every option
# its table lists (`--list-options`) is in that help and in the README,
# except the hidden (test-only) ones, which are in neither help nor the
# commands' sections but in the README's list of test-only options.
. "$TOP/tests/cli/lib.sh"

README="$TOP/README.md"
# the README's "Test-only options" paragraph list
sed -n '/^Test-only options/,/^###/p' "$README" >"$T/testonly"
[ -s "$T/testonly" ] && ok || bad "README has no 'Test-only options' list"

# subcommands of CMD, from `help CMD <none>`'s "it has: ..." (empty for none)
subs_of() {
	"$LLMCOST" help "$1" no-such-sub 2>&1 | sed -n "1s/.*; it has: //p"
}

check_one() { # CMD [SUB]
	label="$*"
	"$LLMCOST" help "$@" >"$T/help" 2>"$T/err"
	[ $? -eq 0 ] && ok || bad "help $label: exit not 0: $(cat "$T/err")"
	"$LLMCOST" "$@" --help >"$T/dash" 2>&1
	cmp -s "$T/help" "$T/dash" && ok || bad "'$label --help' differs from 'help $label'"
	[ -s "$T/help" ] && ok || bad "help $label is empty"
	"$LLMCOST" "$@" --list-options >"$T/opts" 2>"$T/err" && ok ||
		bad "$label --list-options failed: $(cat "$T/err")"
	while read -r name hidden; do
		n=$((n + 1))
		if [ "$hidden" = hidden ]; then
			grep -q -e "$name" "$T/help" && bad "$label: hidden $name is in its help" || ok
			# `llmcost CMD SUB --x`, or `llmcost CMD --x` for every subcommand
			grep -q -e "llmcost $label $name" -e "llmcost $1 $name" "$T/testonly" && ok ||
				bad "$label: hidden $name is not in the README's test-only options"
		else
			# in the help as an option ("  --name" or ", --name"), and in the README
			grep -qE -e "(^  |, )$name( |$|,)" "$T/help" && ok ||
				bad "$label: $name is not in its help"
			grep -q -e "$name" "$README" && ok || bad "$label: $name is not in the README"
		fi
	done <"$T/opts"
}

n=0
for c in $("$LLMCOST" help | sed -n '/^commands:/,/^$/p' | awk 'NR>1 && NF {print $1}'); do
	check_one "$c"
	for s in $(subs_of "$c"); do
		check_one "$c" "$s"
	done
done
# the tables are really read: estimate alone has over 30 options
[ "$n" -gt 80 ] && ok || bad "only $n options listed in all tables"

# a test-only option works and is hidden: usage --from-records parses
expect_rc 0 usage --from-records --from-rollup
"$LLMCOST" usage --list-options | grep -qx -e "--from-records hidden" && ok ||
	bad "usage --from-records is not listed as hidden"

# every subcommand has a help of its own; a word that is none is refused
expect_rc 2 help budget nope
expect_err "'budget' has no subcommand 'nope'; it has: set status rm"
expect_rc 2 budget nope
expect_err "unknown budget command 'nope' (want set, status or rm)"
expect_rc 2 budget
expect_rc 0 budget --list-options

# no abbreviations; --name=value; -- ends the options
expect_rc 2 models --prov openai
expect_err "unknown option '--prov'"
expect_rc 0 models --provider=openai --at=2025-01-01
expect_rc 3 price -- --at
expect_err "unknown model '--at'"
expect_rc 2 models --all-hosts=1
expect_err "option '--all-hosts' takes no value"

done_testing
