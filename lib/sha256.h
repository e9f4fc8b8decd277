/* sha256.h - SHA-256 of a buffer (FIPS 180-4), for recording which sheet was ingested. */
#ifndef LC_SHA256_H
#define LC_SHA256_H

#include <stddef.h>

/* Hex digest of data[0..len) into hex[65]. */
void sha256_hex(const void *data, size_t len, char hex[65]);

#endif
