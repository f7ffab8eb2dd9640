#!/usr/bin/env bash
# Start a systemd container from a test image (the recipe of .config/molecule/config.yml) and wait
# until systemd answers. Usage: start-container.sh NAME IMAGE. Reuses NAME when it already runs.
set -euo pipefail
name=$1
image=$2

if [ "$(docker inspect -f '{{.State.Running}}' "$name" 2>/dev/null)" != "true" ]; then
  docker rm -f "$name" >/dev/null 2>&1 || true
  echo ">> starting container $name ($image)"
  docker run -d --name "$name" --hostname "$name" --cap-add SYS_ADMIN --security-opt seccomp=unconfined \
    --cgroupns host -v /sys/fs/cgroup:/sys/fs/cgroup:rw --tmpfs /run --tmpfs /run/lock "$image" /sbin/init >/dev/null
fi
for _ in $(seq 1 30); do  # systemd needs a moment before its bus answers
  state=$(docker exec "$name" systemctl is-system-running --wait 2>/dev/null || true)
  case "$state" in running|degraded) exit 0 ;; esac
  sleep 1
done
echo "systemd in $name did not come up within 30 s" >&2
exit 1
