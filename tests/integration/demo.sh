#!/usr/bin/env bash
# `make demo`: deploy Prosody with playbooks/site.yml into a local Debian 12 container, then log in
# with a real XMPP client inside it. Safe to run again: the container and the config are reused.
set -euo pipefail
cd "$(dirname "$0")/../.."
name=xmpp-prosody-demo
image=xmpp-prosody-test:bookworm

if [ "$(docker inspect -f '{{.State.Running}}' "$name" 2>/dev/null)" != "true" ]; then
  docker rm -f "$name" >/dev/null 2>&1 || true
  echo ">> starting container $name ($image)"
  docker run -d --name "$name" --hostname "$name" --cap-add SYS_ADMIN --security-opt seccomp=unconfined \
    --cgroupns host -v /sys/fs/cgroup:/sys/fs/cgroup:rw --tmpfs /run --tmpfs /run/lock "$image" /sbin/init >/dev/null
  for _ in $(seq 1 30); do  # systemd needs a moment before its bus answers
    state=$(docker exec "$name" systemctl is-system-running --wait 2>/dev/null || true)
    case "$state" in running|degraded) break ;; esac
    sleep 1
  done
fi

echo ">> ansible-playbook playbooks/site.yml -i demo/inventory.yml"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
ansible-playbook playbooks/site.yml -i demo/inventory.yml | tee "$log"
recap=$(grep -E "^$name +:" "$log")

echo ">> registering demo@demo.example and logging in with slixmpp inside the container (127.0.0.1:5222)"
docker exec "$name" prosodyctl --config /prosody/prosody.cfg.lua register demo demo.example demo-password
docker cp tests/integration/xmpp_probe.py "$name":/usr/local/bin/xmpp-probe
result=$(docker exec "$name" python3 /usr/local/bin/xmpp-probe --jid demo@demo.example --password demo-password \
  --cafile /prosody/certs/cert.pem 2>/dev/null | tail -n 1)
echo
echo "converge: $recap" | tr -s ' '
echo "XMPP login: $result"
case "$result" in
  *'"authenticated": true'*) echo "OK: logged in as demo@demo.example over STARTTLS" ;;
  *) echo "FAILED: the XMPP login did not succeed" >&2; exit 1 ;;
esac
