/*
 * sha256.h - SHA-256 (FIPS 180-4), for natural keys of rows that carry no
 * id of their own and for the head hash that identifies a log file.
 */
#ifndef LC_SHA256_H
#define LC_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len;
	unsigned char buf[64];
	size_t n;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
void sha256_final(struct sha256 *s, unsigned char out[32]);
/* One-shot hash of data as 64 lowercase hex digits + NUL into hex[65]. */
char *sha256_hex(const void *data, size_t len, char hex[65]);
/* Finish s into hex[65]. */
char *sha256_final_hex(struct sha256 *s, char hex[65]);

#endif
