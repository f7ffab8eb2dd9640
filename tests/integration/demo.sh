#!/usr/bin/env bash
# `make demo`: deploy Prosody with playbooks/site.yml into a local Debian 12 container, then log in
# with a real XMPP client inside it. Safe to run again: the container and the config are reused.
set -euo pipefail
cd "$(dirname "$0")/../.."
name=xmpp-prosody-demo
image=xmpp-prosody-test:bookworm

tests/integration/start-container.sh "$name" "$image"

echo ">> ansible-playbook playbooks/site.yml -i demo/inventory.yml"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
ansible-playbook playbooks/site.yml -i demo/inventory.yml | tee "$log"
recap=$(grep -E "^$name +:" "$log")

echo ">> logging in as demo@demo.example (an account of demo/inventory.yml) with slixmpp inside the container (127.0.0.1:5222)"
docker cp tests/integration/xmpp_probe.py "$name":/usr/local/bin/xmpp-probe
result=$(docker exec "$name" python3 /usr/local/bin/xmpp-probe --jid demo@demo.example --password demo-password \
  --cafile /prosody/certs/.ca/ca.pem 2>/dev/null | tail -n 1)
echo
echo "converge: $recap" | tr -s ' '
echo "XMPP login: $result"
case "$result" in
  *'"authenticated": true'*) echo "OK: logged in as demo@demo.example over STARTTLS" ;;
  *) echo "FAILED: the XMPP login did not succeed" >&2; exit 1 ;;
esac
