# The README documents every command with exactly the text of
# `llmcost help COMMAND` (and of each `llmcost help COMMAND SUBCOMMAND`), and its
# quick start has exactly two commands.
. "$TOP/tests/cli/lib.sh"

check_help() { # LABEL ARGS...
	label=$1
	shift
	"$LLMCOST" "$@" >"$T/help" 2>&1
	if python3 - "$TOP/README.md" "$T/help" <<'PY'
import sys
readme = open(sys.argv[1]).read()
text = open(sys.argv[2]).read()
sys.exit(0 if "```\n" + text + "```\n" in readme else 1)
PY
	then ok; else bad "README lacks the verbatim output of: llmcost $* (label $label)"; fi
}

for c in $("$LLMCOST" help | sed -n '/^commands:/,/^$/p' | awk 'NR>1 && NF {print $1}'); do
	check_help "$c" help "$c"
	# each subcommand ("'CMD' has no subcommand 'x'; it has: a b")
	for s in $("$LLMCOST" help "$c" no-such-sub 2>&1 | sed -n "1s/.*; it has: //p"); do
		check_help "$c $s" help "$c" "$s"
	done
done

# the quick start: exactly two commands, the second is `make test`
python3 - "$TOP/README.md" <<'PY' && ok || bad "README quick start is not exactly two commands ending with make test"
import re, sys
r = open(sys.argv[1]).read()
m = re.search(r"## Quick start\n(.*?)\n## ", r, re.S)
block = re.search(r"```sh\n(.*?)```", m.group(1), re.S).group(1)
cmds = [l for l in block.splitlines() if l.strip() and not l.startswith("#")]
sys.exit(0 if len(cmds) == 2 and cmds[1].strip() == "make test" else 1)
PY

# every exit code the frame documents is in the README
for code in "0 " "1 " "2 " "3 " "4 " "5 " "6 "; do
	grep -q "^| $code|" "$TOP/README.md" && ok || bad "README exit-code table lacks '$code'"
done

done_testing
