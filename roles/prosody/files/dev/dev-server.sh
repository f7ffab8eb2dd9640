#!/bin/sh
# shellcheck disable=SC2154  # prosody and prosodyctl: set by tools/env.sh, which this sources
# Managed by the role xmpp.prosody.dev; edits here are overwritten.
# Runs Prosody in the foreground, as you, with config/development.cfg.lua: the log goes to this
# terminal at debug level, modules load from src/modules (plugin_paths). A Prosody built in
# src/prosody (./configure && make) is used when present, else the packaged one (tools/env.sh).
# Ctrl-C (INT) or TERM stops it: Prosody shuts down cleanly and the script exits 0.
set -eu
cd "$(dirname "$0")/.."
. tools/env.sh
echo "dev-server: $prosody on 127.0.0.1:$DEV_C2S_PORT (c2s), :$DEV_HTTP_PORT (HTTP); stop with Ctrl-C" >&2
# exec: the signals reach Prosody itself, and its exit status is the script's
exec "$prosody" -F --config "$WORKSPACE/config/development.cfg.lua"
