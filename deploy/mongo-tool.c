/* mongo-tool: the two things the deploy scripts need from a MongoDB shell, which the mongod
 * wheel does not ship.
 *   mongo-tool ping URI           exit 0 when the server answers
 *   mongo-tool initiate HOST:PORT  replSetInitiate a single-node set rs0 (idempotent), then
 *                                  wait until the node is a writable primary (30 s at most)
 *   mongo-tool find URI DB COLL    print every document of DB.COLL, one relaxed extended JSON
 *                                  line each, in _id order
 */
#include <mongoc/mongoc.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int run_admin(mongoc_client_t *client, const bson_t *cmd, bson_t *reply, bson_error_t *error) {
    return mongoc_client_command_simple(client, "admin", cmd, NULL, reply, error);
}

static int is_writable_primary(mongoc_client_t *client) {
    bson_t cmd = BSON_INITIALIZER, reply;
    bson_error_t error;
    bson_iter_t it;
    int primary = 0;
    BSON_APPEND_INT32(&cmd, "hello", 1);
    if (run_admin(client, &cmd, &reply, &error) &&
        bson_iter_init_find(&it, &reply, "isWritablePrimary") && bson_iter_as_bool(&it)) {
        primary = 1;
    }
    bson_destroy(&reply);
    bson_destroy(&cmd);
    return primary;
}

static int initiate(const char *host_port) {
    char uri[512];
    snprintf(uri, sizeof uri, "mongodb://%s/?directConnection=true&serverSelectionTimeoutMS=5000", host_port);
    mongoc_client_t *client = mongoc_client_new(uri);
    if (!client) { fprintf(stderr, "mongo-tool: bad address %s\n", host_port); return 2; }
    bson_t cmd = BSON_INITIALIZER, config, members, member, reply;
    bson_error_t error;
    BSON_APPEND_DOCUMENT_BEGIN(&cmd, "replSetInitiate", &config);
    BSON_APPEND_UTF8(&config, "_id", "rs0");
    BSON_APPEND_ARRAY_BEGIN(&config, "members", &members);
    BSON_APPEND_DOCUMENT_BEGIN(&members, "0", &member);
    BSON_APPEND_INT32(&member, "_id", 0);
    BSON_APPEND_UTF8(&member, "host", host_port);
    bson_append_document_end(&members, &member);
    bson_append_array_end(&config, &members);
    bson_append_document_end(&cmd, &config);
    int ok = run_admin(client, &cmd, &reply, &error);
    /* 23 = AlreadyInitialized: a restart on existing data. */
    if (!ok && error.code != 23) {
        fprintf(stderr, "mongo-tool: replSetInitiate failed: %s\n", error.message);
        bson_destroy(&reply); bson_destroy(&cmd); mongoc_client_destroy(client);
        return 1;
    }
    bson_destroy(&reply);
    bson_destroy(&cmd);
    int rc = 1;
    for (int i = 0; i < 300; i++) {
        if (is_writable_primary(client)) { rc = 0; break; }
        usleep(100000);
    }
    if (rc) fprintf(stderr, "mongo-tool: %s did not become primary within 30 s\n", host_port);
    mongoc_client_destroy(client);
    return rc;
}

static int ping(const char *uri_string) {
    bson_error_t error;
    mongoc_uri_t *uri = mongoc_uri_new_with_error(uri_string, &error);
    if (!uri) { fprintf(stderr, "mongo-tool: %s\n", error.message); return 2; }
    mongoc_uri_set_option_as_int32(uri, MONGOC_URI_SERVERSELECTIONTIMEOUTMS, 2000);
    mongoc_client_t *client = mongoc_client_new_from_uri(uri);
    bson_t cmd = BSON_INITIALIZER, reply;
    BSON_APPEND_INT32(&cmd, "ping", 1);
    int ok = run_admin(client, &cmd, &reply, &error);
    if (!ok) fprintf(stderr, "mongo-tool: %s\n", error.message);
    bson_destroy(&reply); bson_destroy(&cmd);
    mongoc_client_destroy(client); mongoc_uri_destroy(uri);
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

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: mongo-tool ping URI | initiate HOST:PORT | find URI DB COLL\n"); return 64; }
    mongoc_init();
    int rc = 64;
    if (strcmp(argv[1], "find") == 0 && argc == 5) rc = find_all(argv[2], argv[3], argv[4]);
    else if (argc != 3) fprintf(stderr, "usage: mongo-tool ping URI | initiate HOST:PORT | find URI DB COLL\n");
    else if (strcmp(argv[1], "ping") == 0) rc = ping(argv[2]);
    else if (strcmp(argv[1], "initiate") == 0) rc = initiate(argv[2]);
    else fprintf(stderr, "mongo-tool: unknown command %s\n", argv[1]);
    mongoc_cleanup();
    return rc;
}
