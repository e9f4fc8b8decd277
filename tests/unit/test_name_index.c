/*
 * test_name_index.c - the squashed-name index of lib/db_catalog.c (the last
 * resort of db_resolve(): names compared without case and punctuation):
 * entries that share a squashed key are tried newest first, so an alias
 * added after a model and naming it gives the host it was written for.
 */
#include <stdlib.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db.h"
#include "harness.h"
#include "store.h"

static int exec(struct lc_db *db, const char *sql)
{
	return sqlite3_exec(db_handle(db), sql, NULL, NULL, NULL);
}

TEST(newest_entry_first)
{
	char dir[] = "/tmp/llmcost-ix.XXXXXX", path[256];
	struct lc_db *db = NULL;
	struct lc_err err = { 0 };
	struct lc_resolved res;

	if (!(db = new_store(dir, path, sizeof(path))))
		return;
	CHECK_INT(exec(db, "INSERT INTO providers(id, name, kind, origin) VALUES "
			   "('zmaker', 'Z Maker', 'maker', 'user'), ('zhost', 'Z Host', 'host', 'user');"
			   "INSERT INTO models(id, maker, default_host, origin) VALUES "
			   "('zeta-one', 'zmaker', 'zmaker', 'user')"),
		  SQLITE_OK);
	/* only the squashed index knows "ZETA.ONE": the model's own entry */
	memset(&res, 0, sizeof(res));
	CHECK_INT(db_resolve(db, "ZETA.ONE", "2025-01-01", &res, &err), 0);
	CHECK_STR(res.model, "zeta-one");
	CHECK_STR(res.host, "zmaker");
	CHECK_INT(res.host_explicit, 0);
	/* an alias with a host, squashed alike, added later: tried first */
	CHECK_INT(exec(db, "INSERT INTO model_aliases(alias, model_id, host, origin) VALUES "
			   "('zeta_one', 'zeta-one', 'zhost', 'user')"),
		  SQLITE_OK);
	memset(&res, 0, sizeof(res));
	CHECK_INT(db_resolve(db, "ZETA.ONE", "2025-01-01", &res, &err), 0);
	CHECK_STR(res.model, "zeta-one");
	CHECK_STR(res.host, "zhost");
	CHECK_INT(res.host_explicit, 1);
	remove_store(db, dir);
}

int main(void)
{
	RUN(newest_entry_first);
	return harness_done();
}
