# The repository's hygiene: no tracked file is also listed in .gitignore
# (git ls-files -i -c --exclude-standard), and there is no .clang-format
# nobody enforces (HACKING.md, "Style").
. "$TOP/tests/cli/lib.sh"

if command -v git >/dev/null 2>&1 && git -C "$TOP" rev-parse --git-dir >/dev/null 2>&1; then
	ign=$(git -C "$TOP" ls-files -i -c --exclude-standard)
	expect_eq "" "$ign" "tracked files that .gitignore lists"
else
	skip "tracked files that .gitignore lists" "not a git checkout, or git is missing"
fi
[ ! -e "$TOP/.clang-format" ] && ok "no unenforced .clang-format" ||
	bad ".clang-format is back: enforce it in CI (make format-check) or remove it"
done_testing
