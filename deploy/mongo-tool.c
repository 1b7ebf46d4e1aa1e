/* mongo-tool: the few things the deploy scripts need from a MongoDB shell, which the mongod
 * wheel does not ship.
 *   mongo-tool ping URI            exit 0 when the server answers
 *   mongo-tool initiate HOST:PORT [HOST:PORT...]
 *                                  replSetInitiate the set rs0 with these members (idempotent),
 *                                  then wait until one is a writable primary and the others are
 *                                  secondaries (30 s at most; with several members and no
 *                                  primary, the first is asked to step up rather than wait out
 *                                  the election timeout)
 *   mongo-tool primary URI         print HOST:PORT of the set's primary; exit 1 if there is none
 *   mongo-tool stepdown URI        make the set's primary step down (replSetStepDown, 10 s)
 *   mongo-tool state HOST:PORT     print the member's state: primary (writable), secondary or
 *                                  other; exit 1 if it does not answer
 *   mongo-tool find URI DB COLL    print every document of DB.COLL, one relaxed extended JSON
 *                                  line each, in _id order
 */
#include <mongoc/mongoc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int run_admin(mongoc_client_t *client, const bson_t *cmd, bson_t *reply, bson_error_t *error) {
    return mongoc_client_command_simple(client, "admin", cmd, NULL, reply, error);
}

enum member_state { UNREACHABLE, OTHER, SECONDARY, PRIMARY };

/* hello on a direct connection: PRIMARY means a writable primary. *knows_primary is set when
 * the member names a primary. */
static enum member_state member_state(mongoc_client_t *client, int *knows_primary) {
    bson_t cmd = BSON_INITIALIZER, reply;
    bson_error_t error;
    bson_iter_t it;
    enum member_state state = UNREACHABLE;
    BSON_APPEND_INT32(&cmd, "hello", 1);
    if (run_admin(client, &cmd, &reply, &error)) {
        state = OTHER;
        if (bson_iter_init_find(&it, &reply, "isWritablePrimary") && bson_iter_as_bool(&it)) state = PRIMARY;
        else if (bson_iter_init_find(&it, &reply, "secondary") && bson_iter_as_bool(&it)) state = SECONDARY;
        if (knows_primary && bson_iter_init_find(&it, &reply, "primary")) *knows_primary = 1;
    }
    bson_destroy(&reply);
    bson_destroy(&cmd);
    return state;
}

/* JOBHUNT_MONGO_TOOL_URI_OPTIONS (e.g. tls=true&tlsCAFile=...) are added to the URI of a member
 * reached by address: the URIs given in full carry their own. */
static mongoc_client_t *direct_client(const char *host_port) {
    char uri[2048];
    const char *options = getenv("JOBHUNT_MONGO_TOOL_URI_OPTIONS");
    snprintf(uri, sizeof uri, "mongodb://%s/?directConnection=true&serverSelectionTimeoutMS=5000%s%s", host_port,
             options && *options ? "&" : "", options ? options : "");
    mongoc_client_t *client = mongoc_client_new(uri);
    if (!client) fprintf(stderr, "mongo-tool: bad address %s\n", host_port);
    return client;
}

/* Initiates through the first host, which must be up, as must the others. */
static int initiate(int count, char **hosts) {
    mongoc_client_t *clients[count];
    int created = 0, rc = 2;
    for (; created < count; created++) {
        if (!(clients[created] = direct_client(hosts[created]))) goto done;
    }
    bson_t cmd = BSON_INITIALIZER, config, members, member, reply;
    bson_error_t error;
    BSON_APPEND_DOCUMENT_BEGIN(&cmd, "replSetInitiate", &config);
    BSON_APPEND_UTF8(&config, "_id", "rs0");
    BSON_APPEND_ARRAY_BEGIN(&config, "members", &members);
    for (int i = 0; i < count; i++) {
        char key[16];
        snprintf(key, sizeof key, "%d", i);
        BSON_APPEND_DOCUMENT_BEGIN(&members, key, &member);
        BSON_APPEND_INT32(&member, "_id", i);
        BSON_APPEND_UTF8(&member, "host", hosts[i]);
        bson_append_document_end(&members, &member);
    }
    bson_append_array_end(&config, &members);
    bson_append_document_end(&cmd, &config);
    int ok = run_admin(clients[0], &cmd, &reply, &error);
    bson_destroy(&reply);
    bson_destroy(&cmd);
    /* 23 = AlreadyInitialized: a restart on existing data. */
    if (!ok && error.code != 23) {
        fprintf(stderr, "mongo-tool: replSetInitiate failed: %s\n", error.message);
        rc = 1;
        goto done;
    }
    /* Ready: one member is the writable primary and all others are secondaries (a member still
     * in initial sync could neither take over from a failed primary nor let it step down). */
    rc = 1;
    for (int attempt = 0; attempt < 300 && rc; attempt++) {
        int knows_primary = 0, primaries = 0, secondaries = 0;
        for (int i = 0; i < count; i++) {
            enum member_state state = member_state(clients[i], &knows_primary);
            primaries += state == PRIMARY;
            secondaries += state == SECONDARY;
        }
        if (primaries == 1 && primaries + secondaries == count) { rc = 0; break; }
        /* With several members, a set without a primary would wait out the election timeout
         * (10 s) before electing one: ask the first member to run for election now (it fails
         * harmlessly until that member is a secondary), once a second, unless one is known. */
        if (count > 1 && !knows_primary && attempt % 10 == 5) {
            bson_t step_up = BSON_INITIALIZER, ignored;
            BSON_APPEND_INT32(&step_up, "replSetStepUp", 1);
            run_admin(clients[0], &step_up, &ignored, &error);
            bson_destroy(&ignored);
            bson_destroy(&step_up);
        }
        usleep(100000);
    }
    if (rc && count == 1) fprintf(stderr, "mongo-tool: %s did not become primary within 30 s\n", hosts[0]);
    else if (rc) fprintf(stderr, "mongo-tool: rs0 did not have a primary and %d secondaries within 30 s\n", count - 1);
done:
    for (int i = 0; i < created; i++) mongoc_client_destroy(clients[i]);
    return rc;
}

/* A client for URI that gives up server selection after 2 s (unless URI says otherwise). */
static mongoc_client_t *client_for(const char *uri_string) {
    bson_error_t error;
    mongoc_uri_t *uri = mongoc_uri_new_with_error(uri_string, &error);
    if (!uri) { fprintf(stderr, "mongo-tool: %s\n", error.message); return NULL; }
    if (!mongoc_uri_has_option(uri, MONGOC_URI_SERVERSELECTIONTIMEOUTMS))
        mongoc_uri_set_option_as_int32(uri, MONGOC_URI_SERVERSELECTIONTIMEOUTMS, 2000);
    mongoc_client_t *client = mongoc_client_new_from_uri(uri);
    mongoc_uri_destroy(uri);
    return client;
}

static int ping(const char *uri_string) {
    mongoc_client_t *client = client_for(uri_string);
    if (!client) return 2;
    bson_t cmd = BSON_INITIALIZER, reply;
    bson_error_t error;
    BSON_APPEND_INT32(&cmd, "ping", 1);
    int ok = run_admin(client, &cmd, &reply, &error);
    if (!ok) fprintf(stderr, "mongo-tool: %s\n", error.message);
    bson_destroy(&reply); bson_destroy(&cmd);
    mongoc_client_destroy(client);
    return ok ? 0 : 1;
}

static int primary(const char *uri_string) {
    mongoc_client_t *client = client_for(uri_string);
    if (!client) return 2;
    bson_error_t error;
    mongoc_server_description_t *server = mongoc_client_select_server(client, true, NULL, &error);
    if (server) {
        printf("%s\n", mongoc_server_description_host(server)->host_and_port);
        mongoc_server_description_destroy(server);
    } else {
        fprintf(stderr, "mongo-tool: no primary: %s\n", error.message);
    }
    mongoc_client_destroy(client);
    return server ? 0 : 1;
}

static int state(const char *host_port) {
    mongoc_client_t *client = direct_client(host_port);
    if (!client) return 2;
    static const char *names[] = {"unreachable", "other", "secondary", "primary"};
    enum member_state found = member_state(client, NULL);
    printf("%s\n", names[found]);
    mongoc_client_destroy(client);
    return found == UNREACHABLE ? 1 : 0;
}

/* The primary may close the connection as it steps down: that is success too. */
static int stepdown(const char *uri_string) {
    mongoc_client_t *client = client_for(uri_string);
    if (!client) return 2;
    bson_t cmd = BSON_INITIALIZER, reply;
    bson_error_t error;
    BSON_APPEND_INT32(&cmd, "replSetStepDown", 10);
    int ok = run_admin(client, &cmd, &reply, &error);
    if (!ok && error.domain == MONGOC_ERROR_STREAM) ok = 1;
    if (!ok) fprintf(stderr, "mongo-tool: replSetStepDown failed: %s\n", error.message);
    bson_destroy(&reply); bson_destroy(&cmd);
    mongoc_client_destroy(client);
    return ok ? 0 : 1;
}

static int find_all(const char *uri_string, const char *db, const char *coll) {
    bson_error_t error;
    mongoc_uri_t *uri = mongoc_uri_new_with_error(uri_string, &error);
    if (!uri) { fprintf(stderr, "mongo-tool: %s\n", error.message); return 2; }
    mongoc_client_t *client = mongoc_client_new_from_uri(uri);
    mongoc_uri_destroy(uri);
    mongoc_collection_t *collection = mongoc_client_get_collection(client, db, coll);
    bson_t filter = BSON_INITIALIZER, opts = BSON_INITIALIZER, sort;
    BSON_APPEND_DOCUMENT_BEGIN(&opts, "sort", &sort);
    BSON_APPEND_INT32(&sort, "_id", 1);
    bson_append_document_end(&opts, &sort);
    mongoc_cursor_t *cursor = mongoc_collection_find_with_opts(collection, &filter, &opts, NULL);
    const bson_t *doc;
    while (mongoc_cursor_next(cursor, &doc)) {
        char *json = bson_as_relaxed_extended_json(doc, NULL);
        printf("%s\n", json);
        bson_free(json);
    }
    int rc = 0;
    if (mongoc_cursor_error(cursor, &error)) { fprintf(stderr, "mongo-tool: %s\n", error.message); rc = 1; }
    mongoc_cursor_destroy(cursor);
    bson_destroy(&opts); bson_destroy(&filter);
    mongoc_collection_destroy(collection);
    mongoc_client_destroy(client);
    return rc;
}

/* Stores DOC (extended JSON, with an _id) in DB.COLL, replacing the document with that _id:
 * the demo's user, as the REST backend would create it, on every run. */
static int upsert_one(const char *uri_string, const char *db, const char *coll, const char *json) {
    bson_error_t error;
    bson_t doc;
    if (!bson_init_from_json(&doc, json, -1, &error)) { fprintf(stderr, "mongo-tool: %s\n", error.message); return 64; }
    bson_iter_t id;
    if (!bson_iter_init_find(&id, &doc, "_id")) { fprintf(stderr, "mongo-tool: the document has no _id\n"); bson_destroy(&doc); return 64; }
    mongoc_uri_t *uri = mongoc_uri_new_with_error(uri_string, &error);
    if (!uri) { fprintf(stderr, "mongo-tool: %s\n", error.message); bson_destroy(&doc); return 2; }
    mongoc_client_t *client = mongoc_client_new_from_uri(uri);
    mongoc_uri_destroy(uri);
    mongoc_collection_t *collection = mongoc_client_get_collection(client, db, coll);
    bson_t filter = BSON_INITIALIZER, opts = BSON_INITIALIZER;
    bson_append_iter(&filter, "_id", -1, &id);
    BSON_APPEND_BOOL(&opts, "upsert", true);
    int rc = 0;
    if (!mongoc_collection_replace_one(collection, &filter, &doc, &opts, NULL, &error)) {
        fprintf(stderr, "mongo-tool: %s\n", error.message);
        rc = 1;
    }
    bson_destroy(&filter); bson_destroy(&opts); bson_destroy(&doc);
    mongoc_collection_destroy(collection);
    mongoc_client_destroy(client);
    return rc;
}

#define USAGE "usage: mongo-tool ping URI | initiate HOST:PORT [HOST:PORT...] | primary URI | stepdown URI | state HOST:PORT | find URI DB COLL | upsert URI DB COLL JSON\n"

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, USAGE); return 64; }
    mongoc_init();
    int rc = 64;
    if (strcmp(argv[1], "find") == 0 && argc == 5) rc = find_all(argv[2], argv[3], argv[4]);
    else if (strcmp(argv[1], "upsert") == 0 && argc == 6) rc = upsert_one(argv[2], argv[3], argv[4], argv[5]);
    else if (strcmp(argv[1], "initiate") == 0) rc = initiate(argc - 2, argv + 2);
    else if (argc != 3) fprintf(stderr, USAGE);
    else if (strcmp(argv[1], "ping") == 0) rc = ping(argv[2]);
    else if (strcmp(argv[1], "primary") == 0) rc = primary(argv[2]);
    else if (strcmp(argv[1], "stepdown") == 0) rc = stepdown(argv[2]);
    else if (strcmp(argv[1], "state") == 0) rc = state(argv[2]);
    else fprintf(stderr, "mongo-tool: unknown command %s\n", argv[1]);
    mongoc_cleanup();
    return rc;
}
