#!/bin/sh
# Container entrypoint (see Containerfile).
#   serve                 build the store on the volume if absent (or if the image brings other seeds), then
#                         run Streamlit on 0.0.0.0:$PORT
#   spbe ARGS...          python -m spbe ARGS (import, rollback, build) against the same volume
# The admin secret: $SPBE_ADMIN_PASSWORD, or the first line of the file named by $SPBE_ADMIN_PASSWORD_FILE
# (default /run/secrets/spbe_admin_password when that exists: Docker/Podman secrets).
set -eu

if [ -z "${SPBE_ADMIN_PASSWORD:-}" ]; then
    secret_file=${SPBE_ADMIN_PASSWORD_FILE:-}
    if [ -z "$secret_file" ] && [ -r /run/secrets/spbe_admin_password ]; then
        secret_file=/run/secrets/spbe_admin_password
    fi
    if [ -n "$secret_file" ]; then
        if [ ! -r "$secret_file" ]; then
            echo "entrypoint: SPBE_ADMIN_PASSWORD_FILE=$secret_file is not readable" >&2
            exit 1
        fi
        SPBE_ADMIN_PASSWORD=$(head -n 1 "$secret_file" | tr -d '\r\n')
        export SPBE_ADMIN_PASSWORD
    fi
fi
unset SPBE_ADMIN_PASSWORD_FILE

mkdir -p "$(dirname "$SPBE_DB")" "$SPBE_STATE_DIR"
cd /app

command=${1:-serve}
[ $# -gt 0 ] && shift
case "$command" in
serve)
    marker="$SPBE_DB.seeds-sha256"
    want=$(cat /app/SEEDS_SHA256 2>/dev/null || echo unknown)
    have=$(cat "$marker" 2>/dev/null || echo none)
    if [ ! -f "$SPBE_DB" ] || [ "$want" != "$have" ]; then
        # The build reads $SPBE_STATE_DIR/imports/ACTIVE, so applied imports are kept in the new store.
        if python -m spbe build; then
            echo "$want" > "$marker"
        elif [ -f "$SPBE_DB" ]; then
            echo "entrypoint: store rebuild failed; serving the existing store $SPBE_DB" >&2
        else
            echo "entrypoint: could not build the store $SPBE_DB" >&2
            exit 2
        fi
    fi
    exec python -m streamlit run app.py --server.port "${PORT:-8501}" --server.address 0.0.0.0 \
        --server.headless true --browser.gatherUsageStats false "$@"
    ;;
spbe)
    exec python -m spbe "$@"
    ;;
*)
    exec "$command" "$@"
    ;;
esac
