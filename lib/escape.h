/*
 * escape.h - the one place where text that came from input (file contents,
 * names from sheets and logs, paths, command-line arguments) is made safe to
 * print.  Every output path - messages on stderr, tables in every format,
 * hand-written JSON, HTML - writes input-derived bytes through esc_write().
 *
 * What is unsafe, in every format:
 *   - C0 controls (U+0000-U+001F, including TAB, CR, LF) and DEL (U+007F);
 *   - C1 controls, both as raw bytes 0x80-0x9F (invalid UTF-8) and as
 *     UTF-8-encoded U+0080-U+009F (0xC2 0x80-0x9F: U+009B is a CSI);
 *   - invalid UTF-8 (stray continuation bytes, overlong forms, surrogates,
 *     code points above U+10FFFF, truncated sequences);
 *   - bidirectional formatting characters that reorder what is displayed
 *     (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) and the line
 *     and paragraph separators U+2028, U+2029.
 * How it is written, per format:
 *   ESC_TERM  an invalid byte or a C0/DEL byte as \xNN (two lowercase hex
 *             digits); an unsafe code point of two or more bytes as \uXXXX.
 *             Everything else is copied; a backslash is not doubled.
 *   ESC_CSV   as ESC_TERM, and '"' doubled (the caller quotes the cell and
 *             defuses formulas; see table.c).
 *   ESC_MD    as ESC_TERM, and Markdown syntax characters backslash-escaped
 *             (see MD_SPECIAL in escape.c): no link, image, emphasis, code,
 *             HTML tag, autolink or table cell break can be formed.
 *   ESC_HTML  as ESC_TERM, and & < > " ' as character references.
 *   ESC_JSON  the inside of a JSON string literal (RFC 8259): '"' and '\'
 *             escaped, \n \r \t \b \f short forms, other unsafe code points
 *             as \u00XX / \uXXXX, each invalid byte as \ufffd; the result is
 *             valid JSON and prints no control byte to a terminal.
 */
#ifndef LC_ESCAPE_H
#define LC_ESCAPE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

enum esc_to { ESC_TERM, ESC_CSV, ESC_MD, ESC_HTML, ESC_JSON };

/* Write the n bytes at s to out, escaped for `to` (rules above). */
void esc_write(FILE *out, const char *s, size_t n, enum esc_to to);

/* esc_write of a NUL-terminated string (NULL writes nothing). */
void esc_put(FILE *out, const char *s, enum esc_to to);

/* 1 when esc_write would write s unchanged (printable ASCII, nothing
   special to `to`): callers may then use s as it is. */
int esc_plain(const char *s, enum esc_to to);

/* A new string holding esc_write(s, to); the caller frees it; NULL when out
   of memory. */
char *esc_dup(const char *s, enum esc_to to);

/*
 * printf to out where the format text is written as is and every %s and %c
 * argument is written through esc_write(ESC_TERM); other conversions
 * (numbers) as printf writes them.  For lines that quote input: the
 * format's own "\n" or "\r\033[K" stay raw, a name's bytes never do.
 * Returns the number of bytes written or -1.
 */
int esc_printf(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int esc_vprintf(FILE *out, const char *fmt, va_list ap);

/*
 * The character at s (at most n bytes, n > 0), as esc_write sees it: its
 * length in bytes, or 0 for an invalid UTF-8 byte; *unsafe is set to 1
 * when it is one of the unsafe characters above (controls, C1, bidi).  For
 * encoders with their own spelling (report/gnuplot.c) that must agree on
 * what is unsafe.
 */
int esc_scan(const char *s, size_t n, int *unsafe);

/*
 * The length (1-4) of the valid UTF-8 sequence at s, or 0 when it is not
 * valid UTF-8 (overlong forms, surrogates, code points above U+10FFFF).
 */
int utf8_len(const unsigned char *s);

#endif
