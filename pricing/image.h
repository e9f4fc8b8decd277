/*
 * image.h - how many input tokens one image costs, by the provider's
 * published formula (models.image_tokens names the scheme).  Pure integer
 * arithmetic: no I/O, no floating point.
 *
 * Schemes:
 *  openai-tile  GPT-4o, GPT-4 Turbo, o1, GPT-4.1...: low detail 85 tokens;
 *               high detail: fit within 2048x2048, then (when the shortest
 *               side is over 768 px) scale the shortest side down to 768,
 *               then 170 tokens per 512 px tile + 85.  Images are never
 *               scaled up.  1024x1024 -> 765, 2048x4096 -> 1105.
 *  openai-mini  gpt-4o-mini: the same tiles at 5667 per tile + 2833 base;
 *               low detail 2833.
 *  anthropic    ceil(w*h/750) after scaling down so the long edge is at most
 *               1568 px; at most 1600 tokens (the ~1.15-1.2 megapixel
 *               limit: larger images are scaled down to about 1600 tokens).
 *               1000x1000 -> 1334, 1092x1092 -> 1590.
 *  gemini       Gemini 1.x: 258 tokens per image.  Gemini 2.0 and later
 *               (family gemini-2*, gemini-3*): 258 when both sides are at
 *               most 384 px, else ceil(w/768) x ceil(h/768) tiles of 258.
 * Any other scheme (or none) is unknown: the count cannot be computed.
 */
#ifndef LC_IMAGE_H
#define LC_IMAGE_H

#include <stdint.h>

enum lc_detail { LC_DETAIL_HIGH = 0, LC_DETAIL_LOW = 1 };

#define LC_IMAGE_SIDE_MAX 100000 /* px; larger sides are rejected as malformed */

/*
 * Tokens for one w x h image (1 <= w, h <= LC_IMAGE_SIDE_MAX) under scheme
 * (models.image_tokens) for a model of family `family` (may be "" or NULL;
 * only the gemini scheme looks at it).  Returns the count (> 0), or -1 when
 * the scheme is unknown or the size is out of range.
 */
int64_t image_tokens(const char *scheme, const char *family, int64_t w, int64_t h,
		     enum lc_detail detail);

/*
 * Parse "WxH" (also "W×H"-free ASCII "WXH"): two positive integers of at
 * most LC_IMAGE_SIDE_MAX.  Returns 0, or -1 on malformed text.
 */
int image_parse_size(const char *s, int64_t *w, int64_t *h);

#endif
