# Sourced by the deploy scripts: paths, ports and connection strings of the local services.
# Every value can be overridden from the environment.

JOBHUNT_ROOT="${JOBHUNT_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
JOBHUNT_STATE="${JOBHUNT_STATE:-$JOBHUNT_ROOT/.services}"   # git-ignored

# Ports chosen not to clash with system services (5672, 25672, 4369, 27017).
JOBHUNT_AMQP_PORT="${JOBHUNT_AMQP_PORT:-5682}"
JOBHUNT_RABBIT_DIST_PORT="${JOBHUNT_RABBIT_DIST_PORT:-25682}"
JOBHUNT_EPMD_PORT="${JOBHUNT_EPMD_PORT:-4379}"
JOBHUNT_MONGO_PORT="${JOBHUNT_MONGO_PORT:-27037}"

export JOBHUNT_ROOT JOBHUNT_STATE JOBHUNT_AMQP_PORT JOBHUNT_RABBIT_DIST_PORT \
    JOBHUNT_EPMD_PORT JOBHUNT_MONGO_PORT

export JOBHUNT_TEST_AMQP_URL="${JOBHUNT_TEST_AMQP_URL:-amqp://guest:guest@127.0.0.1:$JOBHUNT_AMQP_PORT/%2f}"
export JOBHUNT_TEST_MONGODB_URI="${JOBHUNT_TEST_MONGODB_URI:-mongodb://127.0.0.1:$JOBHUNT_MONGO_PORT/?replicaSet=rs0}"
# What the worker binary reads; only defaulted, never overridden, and left unset when given as a
# file (<NAME>_FILE): the worker refuses both.
[ -n "${AMQP_URL_FILE+set}" ] || export AMQP_URL="${AMQP_URL:-$JOBHUNT_TEST_AMQP_URL}"
[ -n "${MONGODB_URI_FILE+set}" ] || export MONGODB_URI="${MONGODB_URI:-$JOBHUNT_TEST_MONGODB_URI}"

JOBHUNT_MONGOD="${JOBHUNT_MONGOD:-$JOBHUNT_STATE/mongodb-wheel/fiftyone/db/bin/mongod}"
JOBHUNT_MONGO_TOOL="${JOBHUNT_MONGO_TOOL:-$JOBHUNT_STATE/bin/mongo-tool}"
export JOBHUNT_MONGOD JOBHUNT_MONGO_TOOL
