/* test_image.c - image token formulas against the providers' published examples. */
#include "harness.h"
#include "image.h"

TEST(openai_tile)
{
	/* OpenAI vision guide: 1024x1024 high -> 768x768 -> 4 tiles: 170*4 + 85 = 765 */
	CHECK_INT(image_tokens("openai-tile", "gpt-4o", 1024, 1024, LC_DETAIL_HIGH), 765);
	/* 2048x4096 high -> fit 2048: 1024x2048 -> short side 768: 768x1536 -> 2x3 tiles:
	   170*6 + 85 = 1105 */
	CHECK_INT(image_tokens("openai-tile", "gpt-4o", 2048, 4096, LC_DETAIL_HIGH), 1105);
	/* 4096x8192 low detail: 85 whatever the size */
	CHECK_INT(image_tokens("openai-tile", "gpt-4o", 4096, 8192, LC_DETAIL_LOW), 85);
	/* small images are not scaled up: 512x512 is one tile, 170 + 85 */
	CHECK_INT(image_tokens("openai-tile", "gpt-4o", 512, 512, LC_DETAIL_HIGH), 255);
	/* 1024x768: short side already 768: 2x2 tiles = 765 */
	CHECK_INT(image_tokens("openai-tile", "gpt-4o", 1024, 768, LC_DETAIL_HIGH), 765);
	/* 513x100: 2x1 tiles = 425 */
	CHECK_INT(image_tokens("openai-tile", "gpt-4o", 513, 100, LC_DETAIL_HIGH), 425);
}

TEST(openai_mini)
{
	/* gpt-4o-mini: 2833 base + 5667 per tile; 1024x1024 -> 4 tiles = 25501 */
	CHECK_INT(image_tokens("openai-mini", "gpt-4o-mini", 1024, 1024, LC_DETAIL_HIGH), 25501);
	CHECK_INT(image_tokens("openai-mini", "gpt-4o-mini", 1024, 1024, LC_DETAIL_LOW), 2833);
}

TEST(anthropic)
{
	/* Anthropic vision docs: tokens = w*h/750: 1000x1000 ~ 1334 (1333.3 rounded up) */
	CHECK_INT(image_tokens("anthropic", "", 1000, 1000, LC_DETAIL_HIGH), 1334);
	/* 200x200 ~ 54 (53.3); 1092x1092 ~ 1590 (1589.95) */
	CHECK_INT(image_tokens("anthropic", "", 200, 200, LC_DETAIL_HIGH), 54);
	CHECK_INT(image_tokens("anthropic", "", 1092, 1092, LC_DETAIL_HIGH), 1590);
	/* 1024x768: 786432/750 = 1048.6 -> 1049 */
	CHECK_INT(image_tokens("anthropic", "", 1024, 768, LC_DETAIL_HIGH), 1049);
	/* 784x1568 (the 1:2 maximum size): 1229312/750 = 1639.1 -> capped at 1600 */
	CHECK_INT(image_tokens("anthropic", "", 784, 1568, LC_DETAIL_HIGH), 1600);
	/* 3136x100: long edge to 1568 -> 1568x50 = 78400/750 = 104.5 -> 105 */
	CHECK_INT(image_tokens("anthropic", "", 3136, 100, LC_DETAIL_HIGH), 105);
	/* detail does not matter */
	CHECK_INT(image_tokens("anthropic", "", 1000, 1000, LC_DETAIL_LOW), 1334);
}

TEST(gemini)
{
	/* Gemini 1.5: 258 tokens per image, any size */
	CHECK_INT(image_tokens("gemini", "gemini-1.5-flash", 3000, 2000, LC_DETAIL_HIGH), 258);
	CHECK_INT(image_tokens("gemini", "gemini-1.5-pro", 100, 100, LC_DETAIL_HIGH), 258);
	/* Gemini 2.0: <= 384 px on both sides = 258; else 768x768 tiles of 258 */
	CHECK_INT(image_tokens("gemini", "gemini-2.0-flash", 384, 384, LC_DETAIL_HIGH), 258);
	CHECK_INT(image_tokens("gemini", "gemini-2.0-flash", 1024, 768, LC_DETAIL_HIGH), 516);
	CHECK_INT(image_tokens("gemini", "gemini-2.5-pro", 1600, 1600, LC_DETAIL_HIGH), 258 * 9);
	CHECK_INT(image_tokens("gemini", "gemini-2.0-flash", 385, 100, LC_DETAIL_HIGH), 258);
}

TEST(unknown_and_range)
{
	CHECK_INT(image_tokens("", "x", 100, 100, LC_DETAIL_HIGH), -1);
	CHECK_INT(image_tokens("pixtral", "x", 100, 100, LC_DETAIL_HIGH), -1);
	CHECK_INT(image_tokens(NULL, "x", 100, 100, LC_DETAIL_HIGH), -1);
	CHECK_INT(image_tokens("openai-tile", "x", 0, 100, LC_DETAIL_HIGH), -1);
	CHECK_INT(image_tokens("openai-tile", "x", 100, LC_IMAGE_SIDE_MAX + 1, LC_DETAIL_HIGH), -1);
}

TEST(parse_size)
{
	int64_t w = 0, h = 0;

	CHECK_INT(image_parse_size("1024x768", &w, &h), 0);
	CHECK_INT(w, 1024);
	CHECK_INT(h, 768);
	CHECK_INT(image_parse_size("5X7", &w, &h), 0);
	CHECK_INT(w * 10 + h, 57);
	static const char *bad[] = { "", "x", "1024", "1024x", "x768", "1024*768", "0x5", "5x0",
				     "-1x5", "1e3x5", "1024x768x2", "100001x5", " 5x5", "5x5 " };
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		if (image_parse_size(bad[i], &w, &h) != -1)
			fprintf(stderr, "accepted '%s'\n", bad[i]);
		CHECK_INT(image_parse_size(bad[i], &w, &h), -1);
	}
}

int main(void)
{
	RUN(openai_tile);
	RUN(openai_mini);
	RUN(anthropic);
	RUN(gemini);
	RUN(unknown_and_range);
	RUN(parse_size);
	return harness_done();
}
