#!/bin/sh
# Entrypoint of the container image (Containerfile) and of the systemd unit (deploy/systemd/spbe@.service).
#   serve          build the store if absent (or if the code brings other seeds: applied imports are kept),
#                  then run Streamlit on $SPBE_ADDRESS:$PORT (default 0.0.0.0:8501)
#   spbe ARGS...   python -m spbe ARGS (import, rollback, build) against the same store and state
# The admin secret: $SPBE_ADMIN_PASSWORD, else the first line of the file named by $SPBE_ADMIN_PASSWORD_FILE,
# else /run/secrets/spbe_admin_password (Docker/Podman secrets) or $CREDENTIALS_DIRECTORY/spbe_admin_password
# (systemd LoadCredential=) when present. It is exported to the app's environment, never written anywhere.
set -eu

APP_DIR=${SPBE_APP_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
PYTHON=${SPBE_PYTHON:-python}
: "${SPBE_DB:=$APP_DIR/data/spbe.duckdb}"
: "${SPBE_STATE_DIR:=$APP_DIR/data/local}"
export SPBE_DB SPBE_STATE_DIR

if [ -z "${SPBE_ADMIN_PASSWORD:-}" ]; then
    secret_file=${SPBE_ADMIN_PASSWORD_FILE:-}
    for candidate in /run/secrets/spbe_admin_password "${CREDENTIALS_DIRECTORY:-/nonexistent}/spbe_admin_password"; do
        if [ -z "$secret_file" ] && [ -r "$candidate" ]; then
            secret_file=$candidate
        fi
    done
    if [ -n "$secret_file" ]; then
        if [ ! -r "$secret_file" ]; then
            echo "entrypoint: the admin secret file $secret_file is not readable" >&2
            exit 1
        fi
        SPBE_ADMIN_PASSWORD=$(head -n 1 "$secret_file" | tr -d '\r\n')
        export SPBE_ADMIN_PASSWORD
    fi
fi
unset SPBE_ADMIN_PASSWORD_FILE

mkdir -p "$(dirname "$SPBE_DB")" "$SPBE_STATE_DIR"
cd "$APP_DIR"

command=${1:-serve}
[ $# -gt 0 ] && shift
case "$command" in
serve)
    # The seeds' fingerprint, not file dates: an upgrade's seeds may be older than the store on the volume.
    if [ -f "$APP_DIR/SEEDS_SHA256" ]; then
        want=$(cat "$APP_DIR/SEEDS_SHA256")
    else
        want=$(cat data/*.csv | sha256sum | cut -d' ' -f1)
    fi
    marker="$SPBE_DB.seeds-sha256"
    have=$(cat "$marker" 2>/dev/null || echo none)
    if [ ! -f "$SPBE_DB" ] || [ "$want" != "$have" ]; then
        # The build reads $SPBE_STATE_DIR/imports/ACTIVE, so the applied import is part of the new store.
        if "$PYTHON" -m spbe build; then
            echo "$want" > "$marker"
        elif [ -f "$SPBE_DB" ]; then
            echo "entrypoint: store rebuild failed; serving the existing store $SPBE_DB" >&2
        else
            echo "entrypoint: could not build the store $SPBE_DB" >&2
            exit 2
        fi
    fi
    exec "$PYTHON" -m streamlit run app.py --server.port "${PORT:-8501}" --server.address "${SPBE_ADDRESS:-0.0.0.0}" \
        --server.headless true --browser.gatherUsageStats false "$@"
    ;;
spbe)
    exec "$PYTHON" -m spbe "$@"
    ;;
*)
    exec "$command" "$@"
    ;;
esac
