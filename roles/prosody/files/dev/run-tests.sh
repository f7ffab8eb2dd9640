#!/bin/sh
# shellcheck disable=SC2154  # prosody and prosodyctl: set by tools/env.sh, which this sources
# Managed by the role xmpp.prosody.dev; edits here are overwritten.
# The workspace's tests, in order; the first failure stops the run with a non-zero exit:
#   1. luacheck on src/modules (settings: .luacheckrc);
#   2. busted on the specs (*_spec.lua) in src/modules and tests/unit;
#   3. integration: the test server (config/testing.cfg.lua, storage in memory) starts, the
#      accounts of data/fixtures/accounts.json are created in it, each logs in with a real client
#      (tools/xmpp-client.py, slixmpp) and a wrong password is refused; every executable file in
#      tests/integration then runs against it (XMPP_HOST, XMPP_PORT, XMPP_CAFILE, XMPP_FIXTURES
#      set); the server is stopped at the end, whatever happened.
set -eu
cd "$(dirname "$0")/.."
. tools/env.sh
testing="$WORKSPACE/config/testing.cfg.lua"

echo "== luacheck src/modules"
luacheck src/modules

echo "== busted"
specs=$(find src/modules tests/unit -name '*_spec.lua' | sort)
if [ -z "$specs" ]; then
  echo "no specs (*_spec.lua) in src/modules or tests/unit" >&2
  exit 1
fi
# shellcheck disable=SC2086  # one argument per spec file (workspace paths have no spaces)
busted --output=utfTerminal $specs

echo "== integration: the test server on 127.0.0.1:$TEST_C2S_PORT"
rm -f data/test/prosody.log
"$prosody" -F --config "$testing" >data/test/server.out 2>&1 &
server=$!
stop() {
  kill -TERM "$server" 2>/dev/null || return 0
  wait "$server" || true
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
tries=0
until echo 'server:version()' | "$prosodyctl" --config "$testing" shell >/dev/null 2>&1; do
  tries=$((tries + 1))
  if ! kill -0 "$server" 2>/dev/null || [ "$tries" -ge 60 ]; then
    echo "the test server did not start; the end of its log:" >&2
    tail -n 30 data/test/server.out data/test/prosody.log >&2 || true
    exit 1
  fi
  sleep 0.5
done

echo "== fixtures: $(python3 tools/xmpp-client.py count data/fixtures/accounts.json) accounts"
created=$(python3 tools/xmpp-client.py fixtures data/fixtures/accounts.json | "$prosodyctl" --config "$testing" shell 2>&1)
if printf '%s\n' "$created" | grep -q '^!'; then
  printf '%s\n' "$created" >&2
  exit 1
fi

echo "== log in with each account (a real client), a wrong password refused"
python3 tools/xmpp-client.py accounts data/fixtures/accounts.json --port "$TEST_C2S_PORT" --cafile "$CA_FILE"

for test in tests/integration/*; do
  if [ -f "$test" ] && [ -x "$test" ]; then
    echo "== $test"
    XMPP_HOST=$XMPP_HOST XMPP_PORT=$TEST_C2S_PORT XMPP_CAFILE=$CA_FILE \
      XMPP_FIXTURES=$WORKSPACE/data/fixtures/accounts.json "$test"
  fi
done
echo "run-tests: every step passed"
