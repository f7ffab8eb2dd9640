#!/usr/bin/env bash
# A tier at scale: for each count, a fresh systemd container converged with playbooks/site.yml,
# timing the first converge, an unchanged re-run, a check-mode run and one more host or tenant added
# to the running server, and counting the tasks of each run that reached the host (round trips);
# then `prosodyctl check config` and Prosody's start-up (until the last name answers), with real
# logins on the last and the added one. Writes benchmarks/results/<tier>_scale_<release>.md.
#   enterprise: each tenant is a VirtualHost with a MUC and an HTTP file share (3 hosts per tenant)
#   debian:     each is a VirtualHost with a MUC (2 hosts each)
# Usage (from `make bench`): benchmarks/scale/run.sh [COUNT ...]
# Environment: TIER=enterprise|debian (default enterprise), RELEASE=bookworm|trixie (default bookworm).
set -euo pipefail
cd "$(dirname "$0")/../.."
tier=${TIER:-enterprise}
release=${RELEASE:-bookworm}
counts=("${@:-10 100 1000}")
read -r -a counts <<<"${counts[*]}"
name=xmpp-prosody-bench
image=xmpp-prosody-test:$release
work=.build/bench/${tier}_scale/$release
result=benchmarks/results/${tier}_scale_$release.md
mkdir -p "$work"
case $tier in
  enterprise) per=3 ;;
  debian) per=2 ;;
  *) echo "TIER must be enterprise or debian" >&2; exit 2 ;;
esac

# shellcheck source=benchmarks/lib.sh
. benchmarks/lib.sh
config=$(tier_path "$tier" config)
ca=$(tier_path "$tier" ca_cert)

# Runs ansible-playbook, keeps its log, prints "<wall seconds> <round trips>"; fails unless the recap
# shows `changed=$2` (or any with "*").
converge() {
  local label=$1 want=$2; shift 2
  local log=$work/$label.log start
  start=$(now)
  ANSIBLE_CALLBACKS_ENABLED=ansible.posix.profile_tasks,round_trips ANSIBLE_CALLBACK_PLUGINS=tests/integration/callback_plugins \
    ansible-playbook playbooks/site.yml -i "$work/inventory.yml" -e "@$work/hosts.json" "$@" >"$log" 2>&1 ||
    { tail -n 40 "$log" >&2; exit 1; }
  local took changed trips
  took=$(since "$start")
  changed=$(sed -n "s/^$name .*changed=\([0-9]*\).*/\1/p" "$log")
  trips=$(sed -n "s/^round trips: $name \([0-9]*\).*/\1/p" "$log")
  if [ "$want" != "*" ] && [ "$changed" != "$want" ]; then
    echo "$label: changed=$changed, expected $want (log: $log)" >&2
    exit 1
  fi
  echo "$took $trips"
}

# The declared hosts for COUNT names: enterprise tenants tN.bench.test, debian hosts hN.bench.test.
declared() {
  python3 - "$tier" "$1" <<'PY'
import json, sys
tier, count = sys.argv[1], int(sys.argv[2])
prefix = "t" if tier == "enterprise" else "h"
names = ["%s%d.bench.test" % (prefix, i) for i in range(1, count + 1)]
kinds = (("conference.", "muc"), ("upload.", "http_file_share")) if tier == "enterprise" else (("conference.", "muc"),)
print(json.dumps({
    "prosody_vhosts": [{"name": n} for n in names],
    "prosody_components": [{"name": p + n, "type": t} for n in names for p, t in kinds],
}))
PY
}

# The name's stream features on 127.0.0.1:5222 (what the enterprise health check asks for).
answers() {
  in_box python3 -c 'import socket, sys
s = socket.create_connection(("127.0.0.1", 5222), timeout=5)
s.sendall(("<?xml version=\"1.0\"?><stream:stream to=\"%s\" xmlns=\"jabber:client\" xmlns:stream=\"http://etherx.jabber.org/streams\" version=\"1.0\">" % sys.argv[1]).encode())
data = b""
while b"stream:features" not in data and len(data) < 65536:
    chunk = s.recv(4096)
    if not chunk:
        break
    data += chunk
sys.exit(0 if b"stream:features" in data else 1)' "$1" >/dev/null 2>&1
}

# A real XMPP login on NAME (slixmpp inside the container, STARTTLS verified against the instance CA).
login() {
  local host=$1 log=$work/login-$2.json
  ansible -i "$work/inventory.yml" "$name" -m xmpp.prosody.account \
    -a "{\"tier\": \"$tier\", \"accounts\": [{\"jid\": \"bench@$host\", \"password\": \"bench-pw\"}]}" >/dev/null
  in_box sh -c "grep -q ' $host\$' /etc/hosts || echo '127.0.0.1 $host' >>/etc/hosts"
  in_box python3 /usr/local/bin/xmpp-probe --jid "bench@$host" --password bench-pw --cafile "$ca" >"$log" 2>/dev/null
  grep -q '"authenticated": true' "$log" || { echo "login on $host failed (see $log)" >&2; exit 1; }
}

cat >"$work/inventory.yml" <<YAML
prosody:
  hosts:
    $name:
      ansible_connection: community.docker.docker
  vars:
    prosody_tier: $tier
YAML

rows=()
declare -A firsts agains
for count in "${counts[@]}"; do
  echo ">> $tier: $count on $release"
  declared "$count" >"$work/hosts.json"
  docker rm -f "$name" >/dev/null 2>&1 || true
  tests/integration/start-container.sh "$name" "$image" >/dev/null
  # The packages come from Debian's mirror: installed before the clock starts, timed on their own (the
  # tier's, and prosody-modules for the default community module cloud_notify, a release module on 13).
  start=$(now)
  in_box sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prosody python3-cryptography prosody-modules >/dev/null'
  packages=$(since "$start")

  prefix=$([ "$tier" = enterprise ] && echo t || echo h)
  last=$prefix$count.bench.test
  out=$(converge "first-$count" "*")
  read -r first first_trips <<<"$out"
  # The converge (re)started Prosody: let it finish starting, so its CPU does not slow the timed re-runs.
  until answers "$last"; do sleep 0.5; done
  out=$(converge "again-$count" 0)
  read -r again again_trips <<<"$out"
  out=$(converge "check-$count" 0 --check)
  read -r check check_trips <<<"$out"

  start=$(now)
  in_box prosodyctl --config "$config" check config >"$work/check-config-$count.log"
  check_config=$(since "$start")

  in_box systemctl stop prosody
  start=$(now)
  in_box systemctl start prosody
  until answers "$last"; do sleep 0.1; done
  startup=$(since "$start")
  rss=$(in_box sh -c 'ps -o rss= -C lua5.4 -C lua5.2 -C lua5.1 | sort -n | tail -n 1')

  docker cp tests/integration/xmpp_probe.py "$name":/usr/local/bin/xmpp-probe
  login "$last" "$count"

  # One more while Prosody runs: activated in the running server, nobody else restarted.
  declared $((count + 1)) >"$work/hosts.json"
  pid=$(in_box systemctl show prosody -p MainPID --value)
  out=$(converge "add-$count" "*")
  read -r added added_trips <<<"$out"
  [ "$(in_box systemctl show prosody -p MainPID --value)" = "$pid" ] || { echo "adding one restarted Prosody" >&2; exit 1; }
  login "$prefix$((count + 1)).bench.test" "add-$count"

  version=$(in_box dpkg-query -W -f "\${Version}" prosody)
  top=$(grep -E ' -+ [0-9.]+s$' "$work/first-$count.log" | head -n 3 | sed -E 's/^[a-z.]+ : //; s/ -+ / /' | paste -sd ';' -)
  firsts[$count]=$first agains[$count]=$again
  rows+=("| $count | $((count * per)) | $packages | $first ($first_trips) | $again ($again_trips) | $check ($check_trips) | $added ($added_trips) | $check_config | $startup | $((rss / 1024)) MiB | $top |")
  echo "   first $first s ($first_trips round trips), unchanged $again s ($again_trips), check $check s ($check_trips)," \
    "one more $added s ($added_trips), check config $check_config s, start-up $startup s"
  docker rm -f "$name" >/dev/null
done

unit=$([ "$tier" = enterprise ] && echo "tenants" || echo "vhosts")
{
  echo "# The $tier tier at scale: $release (benchmarks/scale/run.sh)"
  echo
  machine "$version"
  echo
  if [ "$tier" = enterprise ]; then
    echo "Each tenant is a VirtualHost with a MUC and an HTTP file share (3 hosts per tenant)."
  else
    echo "Each is a VirtualHost with a MUC (2 hosts each)."
  fi
  echo "Times are wall seconds of \`ansible-playbook playbooks/site.yml\`, and in brackets the tasks of the run that"
  echo "reached the host (tests/integration/callback_plugins/round_trips.py; skipped tasks and controller-only ones"
  echo "such as the input check do not count). Packages were installed before the first converge and are timed apart."
  echo "Start-up: \`systemctl start prosody\` until the last name answers with its stream features. One more: a converge"
  echo "adding one to the running server, which must keep its process (activated in place, checked by MainPID)."
  echo "Logins (slixmpp, STARTTLS, verified against the instance CA) on the last and on the added one end every row."
  echo
  echo "| $unit | hosts | packages | first converge | unchanged re-run | check mode | one more (no restart) | prosodyctl check config | start-up | RSS | slowest tasks of the first converge |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  printf '%s\n' "${rows[@]}"
  if [ -n "${agains[100]:-}" ] && [ -n "${agains[1000]:-}" ]; then
    echo
    awk -v f1="${firsts[100]}" -v f2="${firsts[1000]}" -v a1="${agains[100]}" -v a2="${agains[1000]}" 'BEGIN {
      printf "Growth from 100 to 1,000 (10x): first converge x%.2f, unchanged re-run x%.2f.\n", f2 / f1, a2 / a1 }'
  fi
} >"$result"
echo ">> $result"
cat "$result"
