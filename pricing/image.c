/*
 * image.c - image token counts by provider scheme; the rules are in image.h.
 *
 * Scaling keeps the aspect ratio with integer arithmetic: the side being
 * fitted gets the target exactly, the other side is floor(side * target /
 * fitted side), which is what the providers' reference code does for the
 * published examples (no example depends on a rounding in the other side).
 */
#include "image.h"

#include <string.h>

static int64_t ceil_div(int64_t a, int64_t b)
{
	return (a + b - 1) / b;
}

/* Scale (w, h) down so that max(w, h) <= limit; never up. */
static void fit_long(int64_t *w, int64_t *h, int64_t limit)
{
	if (*w >= *h && *w > limit) {
		*h = *h * limit / *w;
		*w = limit;
	} else if (*h > *w && *h > limit) {
		*w = *w * limit / *h;
		*h = limit;
	}
	if (*w < 1)
		*w = 1;
	if (*h < 1)
		*h = 1;
}

/* Scale (w, h) down so that min(w, h) <= limit; never up. */
static void fit_short(int64_t *w, int64_t *h, int64_t limit)
{
	if (*w <= *h && *w > limit) {
		*h = *h * limit / *w;
		*w = limit;
	} else if (*h < *w && *h > limit) {
		*w = *w * limit / *h;
		*h = limit;
	}
}

static int64_t openai_tiles(int64_t w, int64_t h)
{
	fit_long(&w, &h, 2048);
	fit_short(&w, &h, 768);
	return ceil_div(w, 512) * ceil_div(h, 512);
}

static int64_t anthropic(int64_t w, int64_t h)
{
	int64_t t;

	fit_long(&w, &h, 1568);
	t = ceil_div(w * h, 750);
	return t > 1600 ? 1600 : t;
}

static int gemini_tiled(const char *family)
{
	/* Gemini 2.0 introduced tiling; 1.0 and 1.5 count 258 per image. */
	return family && (!strncmp(family, "gemini-2", 8) || !strncmp(family, "gemini-3", 8));
}

int64_t image_tokens(const char *scheme, const char *family, int64_t w, int64_t h,
		     enum lc_detail detail)
{
	if (!scheme || w < 1 || h < 1 || w > LC_IMAGE_SIDE_MAX || h > LC_IMAGE_SIDE_MAX)
		return -1;
	if (!strcmp(scheme, "openai-tile"))
		return detail == LC_DETAIL_LOW ? 85 : 85 + 170 * openai_tiles(w, h);
	if (!strcmp(scheme, "openai-mini"))
		return detail == LC_DETAIL_LOW ? 2833 : 2833 + 5667 * openai_tiles(w, h);
	if (!strcmp(scheme, "anthropic"))
		return anthropic(w, h);
	if (!strcmp(scheme, "gemini")) {
		if (!gemini_tiled(family) || (w <= 384 && h <= 384))
			return 258;
		return 258 * ceil_div(w, 768) * ceil_div(h, 768);
	}
	return -1;
}

static int side(const char **p, int64_t *out)
{
	int64_t v = 0;
	int n = 0;

	while (**p >= '0' && **p <= '9') {
		v = v * 10 + (**p - '0');
		if (v > LC_IMAGE_SIDE_MAX)
			return -1;
		(*p)++;
		n++;
	}
	if (n == 0 || v < 1)
		return -1;
	*out = v;
	return 0;
}

int image_parse_size(const char *s, int64_t *w, int64_t *h)
{
	const char *p = s;

	if (!s || side(&p, w) || (*p != 'x' && *p != 'X'))
		return -1;
	p++;
	if (side(&p, h) || *p)
		return -1;
	return 0;
}
