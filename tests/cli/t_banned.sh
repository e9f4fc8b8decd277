# lib/banned.h and lib/str.h at compile time: every C file is compiled with
# -include lib/compat.h, which makes strcpy, strcat, strncpy, strncat,
# sprintf and vsprintf errors, and LC_COPY / ARRAY_SIZE of a pointer an
# error; the allowed forms compile.  Uses the C compiler that builds llmcost.
. "$TOP/tests/cli/lib.sh"

CC=${CC:-cc}
grep -q -- '-include lib/compat.h' "$TOP/Makefile" && ok "the Makefile force-includes lib/compat.h" ||
	bad "the Makefile does not compile with -include lib/compat.h"

compile() { # NAME BODY: compile a function body as the Makefile would
	printf '#include <stdarg.h>\nvoid f(char *p, const char *s, va_list ap);\nvoid f(char *p, const char *s, va_list ap)\n{\n\tchar buf[16];\n\t(void)ap; (void)buf; (void)p; (void)s;\n%s\n}\n' "$2" >"$T/$1.c"
	(cd "$TOP" && $CC -std=c11 -D_GNU_SOURCE -include lib/compat.h -Ilib -Wall -Werror -fsyntax-only "$T/$1.c") >"$T/$1.err" 2>&1
}

for c in 'strcpy:strcpy(buf, s);' 'strcat:strcat(buf, s);' 'strncpy:strncpy(buf, s, 4);' \
	'strncat:strncat(buf, s, 4);' 'sprintf:sprintf(buf, "%s", s);' 'vsprintf:vsprintf(buf, s, ap);'; do
	name=${c%%:*}
	if compile "$name" "	${c#*:}"; then
		bad "$name compiles: banned.h does not ban it"
	else
		grep -q "sorry_${name}_is_banned" "$T/$name.err" && ok "$name is banned" ||
			bad "$name fails to compile, but not as banned: $(head -3 "$T/$name.err")"
	fi
done
compile copy_ptr '	(void)LC_COPY(p, s);' && bad "LC_COPY of a pointer compiles" || ok "LC_COPY of a pointer does not compile"
compile size_ptr '	(void)ARRAY_SIZE(p);' && bad "ARRAY_SIZE of a pointer compiles" || ok "ARRAY_SIZE of a pointer does not compile"
if compile allowed '	int r = LC_COPY(buf, s);
	r += (int)ARRAY_SIZE(buf);
	r += snprintf(buf, sizeof(buf), "%s", s);
	r += vsnprintf(buf, sizeof(buf), s, ap);
	r += lc_strlcpy(p, s, 4);
	(void)r;'; then
	ok "LC_COPY, ARRAY_SIZE, snprintf, vsnprintf and lc_strlcpy compile"
else
	bad "the allowed forms do not compile: $(head -5 "$T/allowed.err")"
fi
done_testing
