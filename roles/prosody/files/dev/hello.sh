#!/bin/sh
# An integration test of the sample module, yours to change: tools/run-tests.sh runs every executable
# file in tests/integration against the test server, with XMPP_HOST, XMPP_PORT, XMPP_CAFILE and
# XMPP_FIXTURES set. This one logs in with the first fixture account, says "hello" to the server
# and expects mod_hello's answer.
set -eu
account=$(python3 -c 'import json, sys; a = json.load(open(sys.argv[1]))[0]; print(a["jid"]); print(a["password"])' "$XMPP_FIXTURES")
jid=$(printf '%s\n' "$account" | sed -n 1p)
XMPP_PASSWORD=$(printf '%s\n' "$account" | sed -n 2p) python3 tools/xmpp-client.py ask --jid "$jid" \
  --port "$XMPP_PORT" --cafile "$XMPP_CAFILE" --to "$XMPP_HOST" --body hello --expect "Hello, ${jid%@*}!"
