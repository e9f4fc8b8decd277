# The bad-input table: every row of tests/cli/badinput.tsv is one hostile
# input with the exit code and the message llmcost must give.  Columns
# (tab-separated; '#' lines are comments):
#   id       a short name, unique
#   input    how to make the file $IN:  -  (none) | text:TEXT (Python escapes:
#            \\xff \\n \\r \\0 \\\\; other characters as UTF-8) |
#            py:PYTHON-EXPR-GIVING-BYTES | sh:SHELL-COMMANDS (using $IN, $DB)
#   args     the llmcost arguments (shell words; $IN, $DB and $T expand)
#   exit     the expected exit code
#   message  a fixed string stderr must contain ($IN and $DB expand; - for none)
# stdout and stderr must hold no raw control, C1 or bidi character and be
# valid UTF-8 (input-derived text is escaped: lib/escape.h).
# Each row runs with a fresh $IN in its own folder, against $DB (a current
# store made once), under a 60 s timeout; afterwards $DB must still pass
# PRAGMA integrity_check.  BADINPUT=id,id runs a subset.
. "$TOP/tests/cli/lib.sh"

TSV="$TOP/tests/cli/badinput.tsv"
DB="$T/store.db"
export DB T
"$LLMCOST" --db "$DB" models >/dev/null 2>&1 || bad "cannot make the store"
cat >"$T/raw.py" <<'PY'
import sys
for path in sys.argv[1:]:
    b = open(path, "rb").read()
    try:
        s = b.decode("utf-8")
    except UnicodeDecodeError as e:
        sys.exit("invalid UTF-8 in %s at byte %d" % (path.rsplit("/", 1)[1], e.start))
    for c in s:
        o = ord(c)
        if (o < 0x20 and c not in "\n\t") or 0x7f <= o <= 0x9f or 0x202a <= o <= 0x202e \
                or 0x2066 <= o <= 0x2069 or o in (0x200e, 0x200f, 0x061c, 0x2028, 0x2029):
            sys.exit("a raw U+%04X in %s" % (o, path.rsplit("/", 1)[1]))
PY
rows=0
ids=" "
tab=$(printf '\t')
while IFS="$tab" read -r id input args want msg; do
	case $id in '#'* | '') continue ;; esac
	if [ -n "${BADINPUT:-}" ]; then
		case ",$BADINPUT," in *",$id,"*) ;; *) continue ;; esac
	fi
	rows=$((rows + 1))
	case $ids in *" $id "*) bad "duplicate row id '$id'" ;; esac
	ids="$ids$id "
	W="$T/row/$id"
	mkdir -p "$W"
	IN="$W/input"
	export IN
	case $input in
	-) ;;
	text:*) python3 -c 'import sys; sys.stdout.buffer.write(sys.argv[1].encode("utf-8").decode("unicode_escape").encode("latin-1"))' "${input#text:}" >"$IN" ;;
	py:*) python3 -c 'import sys; sys.stdout.buffer.write(eval(sys.argv[1]))' "${input#py:}" >"$IN" ;;
	sh:*) (cd "$W" && eval "${input#sh:}") || bad "$id: making the input failed" ;;
	*) bad "$id: unknown input kind '$input'"; continue ;;
	esac
	eval "set -- $args"
	ctx="[$id] llmcost $(printf '%s ' "$@" | head -c 160 | LC_ALL=C tr -c '[:print:]' '?')"
	timeout 60 "$LLMCOST" "$@" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	if [ "$rc" -eq "$want" ]; then ok; else bad "$ctx: exit $rc, want $want"; fi
	if [ "$msg" != "-" ]; then
		m=$(printf '%s' "$msg" | sed -e "s|\\\$IN|$IN|g" -e "s|\\\$DB|$DB|g")
		expect_err "$m"
	fi
	# a message names its file once: never "'f': 'f' is not ..." (the
	# engine and the reader each adding the file's name)
	qin=$(printf '%s' "$IN" | sed 's/[][\\.*^$]/\\&/g')
	if grep -qE "'$qin'[^']{0,20}: '$qin'" "$T/err"; then
		bad "$ctx: the file named twice: $(grep -F "'$IN'" "$T/err" | head -1)"
	else
		ok
	fi
	# nothing hostile reaches the terminal raw, on stdout or stderr: no C0
	# control but \n and \t, no DEL, no C1 (a raw byte 0x80-0x9f or UTF-8
	# U+0080-U+009F), no bidi control, no invalid UTF-8
	if m=$(python3 "$T/raw.py" "$T/out" "$T/err"); then ok; else bad "$ctx: $m"; fi
	rm -rf "$W"
done <"$TSV"
expect_eq ok "$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])' "$DB")" "store integrity after the table"
[ -n "${BADINPUT:-}" ] || [ "$rows" -ge 30 ] && ok || bad "only $rows rows in badinput.tsv"
echo "$rows bad inputs"
done_testing
