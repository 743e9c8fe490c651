/* app.h — the server-wide context handed to every request: where the database is, the key for
 * personal data, the district this instance serves, the clock. Built once by `tuoyu serve`;
 * read-only afterwards (but for the atomic counter), so all worker threads share it without locks. */
#ifndef TUOYU_APP_H
#define TUOYU_APP_H

#include <stdatomic.h>
#include <stdint.h>

#include "base/crypt.h"
#include "db/db.h"

struct db_replica;

struct app {
    struct db_config db;
    struct db_replica *replica; /* PostgreSQL: a streaming replica that reads may go to (tuoyu serve
                                   --pg-read; src/db/replica.h), or NULL */
    int replica_mark_seconds;   /* how long a session's write sends its reads to the primary until
                                   the replica has replayed it (the tuoyu_wrote cookie's life) */
    struct crypt_key key;       /* personal-data encryption and lookup-hash keys */
    char district_code[16];     /* tenant: "330304" */
    int64_t clock_offset;       /* seconds added to the system clock (tests set the date) */
    atomic_long params_generation; /* bumped on every parameter change, so per-thread caches reload */
    atomic_long calendar_generation; /* bumped when the working-day calendar changes, so per-thread copies reload */
    atomic_long sessions_generation; /* bumped when a session ends or an account changes (logout,
                                        password, disable), so per-thread session caches drop all */
    int db_lock_fd;             /* SQLite: the database file, flock()ed shared for the life of the
                                   process so `tuoyu restore` (exclusive) never replaces it in use; -1 */
    int staff_totp_required;    /* privileged staff must log in with TOTP (tuoyu serve --staff-totp) */
    int sms_enabled;            /* an SMS gateway or sink is configured (src/inbox/sms.h) */
    int video_loopback_only;    /* cameras only at loopback addresses (tuoyu serve --video-loopback-only: tests) */
};

/* The app's current time, unix seconds. */
int64_t app_now(const struct app *app);

#endif
