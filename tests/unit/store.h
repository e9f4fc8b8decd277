/*
 * store.h - a fresh SQLite store in a temporary folder, for the unit tests
 * that need one (include after harness.h).
 */
#ifndef LC_TEST_STORE_H
#define LC_TEST_STORE_H

#include <stdio.h>
#include <stdlib.h>

#include "db.h"

/* A store in a new folder made from the mkdtemp template dir, its path
   into path (n bytes): the connection, or NULL (a failed check). */
static inline struct lc_db *new_store(char *dir, char *path, size_t n)
{
	struct lc_db *db = NULL;
	struct lc_err err = { 0 };

	if (!mkdtemp(dir)) {
		CHECK(0);
		return NULL;
	}
	snprintf(path, n, "%s/s.db", dir);
	CHECK_INT(db_open(&db, path, &err), 0);
	return db;
}

/* Close db (when open) and remove the folder new_store made. */
static inline void remove_store(struct lc_db *db, const char *dir)
{
	char cmd[300];

	if (db)
		db_close(db);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK_INT(system(cmd), 0);
}

#endif
