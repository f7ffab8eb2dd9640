#!/usr/bin/env bash
# The enterprise tier at scale: for each tenant count, a fresh systemd container converged with
# playbooks/site.yml (every tenant with a MUC and a file share), timing the first converge, an
# unchanged re-run, a check-mode run, adding one tenant to the running server, `prosodyctl check
# config` and Prosody's start-up (until the last tenant answers), with real logins. Writes benchmarks/results/.
# Usage (from `make bench`): benchmarks/enterprise_scale/run.sh [COUNT ...]   (default: 10 100 1000)
# Environment: RELEASE=bookworm|trixie (default bookworm).
set -euo pipefail
cd "$(dirname "$0")/../.."
release=${RELEASE:-bookworm}
counts=("${@:-10 100 1000}")
read -r -a counts <<<"${counts[*]}"
name=xmpp-prosody-bench
image=xmpp-prosody-test:$release
work=.build/bench/enterprise_scale/$release
result=benchmarks/results/enterprise_scale_$release.md
root=/srv/prosody
mkdir -p "$work"

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
in_box() { docker exec "$name" "$@"; }

# Runs ansible-playbook, keeps its log, prints the wall time; fails unless the recap shows `changed=$2` (or any with "*").
converge() {
  local label=$1 want=$2; shift 2
  local log=$work/$label.log start
  start=$(now)
  ANSIBLE_CALLBACKS_ENABLED=ansible.posix.profile_tasks \
    ansible-playbook playbooks/site.yml -i "$work/inventory.yml" -e "@$work/tenants.json" "$@" >"$log" 2>&1 ||
    { tail -n 40 "$log" >&2; exit 1; }
  local took changed
  took=$(since "$start")
  changed=$(sed -n "s/^$name .*changed=\([0-9]*\).*/\1/p" "$log")
  if [ "$want" != "*" ] && [ "$changed" != "$want" ]; then
    echo "$label: changed=$changed, expected $want (log: $log)" >&2
    exit 1
  fi
  echo "$took"
}

# Each tenant: a VirtualHost with a MUC and an HTTP file share.
tenants() {
  python3 - "$1" <<'PY'
import json, sys
tenants = ["t%d.bench.test" % i for i in range(1, int(sys.argv[1]) + 1)]
print(json.dumps({
    "prosody_vhosts": [{"name": t} for t in tenants],
    "prosody_components": [c for t in tenants for c in (
        {"name": "conference." + t, "type": "muc"}, {"name": "upload." + t, "type": "http_file_share"})],
}))
PY
}

# A real XMPP login on TENANT (slixmpp inside the container, STARTTLS verified against the instance CA).
login() {
  local tenant=$1 log=$work/login-$2.json
  in_box prosodyctl --config $root/config/global/prosody.cfg.lua register bench "$tenant" bench-pw
  in_box sh -c "grep -q ' $tenant\$' /etc/hosts || echo '127.0.0.1 $tenant' >>/etc/hosts"
  in_box python3 /usr/local/bin/xmpp-probe --jid "bench@$tenant" --password bench-pw \
    --cafile "$root/certs/ca/ca.pem" >"$log" 2>/dev/null
  grep -q '"authenticated": true' "$log" || { echo "login on $tenant failed (see $log)" >&2; exit 1; }
}

cat >"$work/inventory.yml" <<YAML
prosody:
  hosts:
    $name:
      ansible_connection: community.docker.docker
  vars:
    prosody_tier: enterprise
YAML

rows=()
declare -A firsts agains
for count in "${counts[@]}"; do
  echo ">> $count tenants on $release"
  tenants "$count" >"$work/tenants.json"
  docker rm -f "$name" >/dev/null 2>&1 || true
  tests/integration/start-container.sh "$name" "$image" >/dev/null
  # The packages come from Debian's mirror: installed before the clock starts, timed on their own.
  start=$(now)
  in_box sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prosody lua5.4 lua-dbi-sqlite3 python3-cryptography >/dev/null'
  packages=$(since "$start")

  last=t$count.bench.test
  first=$(converge "first-$count" "*")
  # The converge restarted Prosody: let it finish starting, so its CPU does not slow the timed re-runs.
  until in_box $root/scripts/monitoring/healthcheck.sh "$last" >/dev/null; do sleep 0.5; done
  again=$(converge "again-$count" 0)
  check=$(converge "check-$count" 0 --check)

  start=$(now)
  in_box prosodyctl --config $root/config/global/prosody.cfg.lua check config >"$work/check-config-$count.log"
  check_config=$(since "$start")

  in_box systemctl stop prosody
  start=$(now)
  in_box systemctl start prosody
  until in_box $root/scripts/monitoring/healthcheck.sh "$last" >/dev/null; do sleep 0.1; done
  startup=$(since "$start")
  rss=$(in_box sh -c 'ps -o rss= -C lua5.4 -C lua5.2 -C lua5.1 | sort -n | tail -n 1')

  docker cp tests/integration/xmpp_probe.py "$name":/usr/local/bin/xmpp-probe
  login "$last" "$count"

  # One more tenant while Prosody runs: activated in the running server, nobody else restarted.
  tenants $((count + 1)) >"$work/tenants.json"
  pid=$(in_box systemctl show prosody -p MainPID --value)
  added=$(converge "add-$count" "*")
  [ "$(in_box systemctl show prosody -p MainPID --value)" = "$pid" ] || { echo "adding a tenant restarted Prosody" >&2; exit 1; }
  login "t$((count + 1)).bench.test" "add-$count"

  version=$(in_box dpkg-query -W -f "\${Version}" prosody)
  top=$(grep -E ' -+ [0-9.]+s$' "$work/first-$count.log" | head -n 3 | sed -E 's/^[a-z.]+ : //; s/ -+ / /' | paste -sd ';' -)
  firsts[$count]=$first agains[$count]=$again
  rows+=("| $count | $((count * 3)) | $packages | $first | $again | $check | $added | $check_config | $startup | $((rss / 1024)) MiB | $top |")
  echo "   first $first s, unchanged $again s, check $check s, one more tenant $added s, check config $check_config s, start-up $startup s"
  docker rm -f "$name" >/dev/null
done

{
  echo "# Enterprise tier at scale: $release (benchmarks/enterprise_scale/run.sh)"
  echo
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo),"
  echo "$(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r), $(docker --version | cut -d, -f1);"
  echo "$(ansible --version | head -n 1) with this repository's ansible.cfg (pipelining on); target: a systemd container of xmpp-prosody-test:$release, Prosody $version,"
  echo "over the community.docker.docker connection. Measured $(date -u +%Y-%m-%d)."
  echo
  echo "Each tenant is a VirtualHost with a MUC and an HTTP file share (3 hosts per tenant). Times are wall"
  echo "seconds of \`ansible-playbook playbooks/site.yml\`; packages were installed before the first converge"
  echo "and are timed apart. Start-up: \`systemctl start prosody\` until the last tenant answers the health"
  echo "check. One more tenant: a converge adding tenant N+1 to the running server, which must keep its"
  echo "process (activated in place, checked by MainPID). Logins (slixmpp, STARTTLS, verified against"
  echo "certs/ca/ca.pem) on the last tenant and on the added one end every row."
  echo
  echo "| tenants | hosts | packages | first converge | unchanged re-run | check mode | one more tenant (no restart) | prosodyctl check config | start-up | RSS | slowest tasks of the first converge |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  printf '%s\n' "${rows[@]}"
  if [ -n "${agains[100]:-}" ] && [ -n "${agains[1000]:-}" ]; then
    echo
    awk -v f1="${firsts[100]}" -v f2="${firsts[1000]}" -v a1="${agains[100]}" -v a2="${agains[1000]}" 'BEGIN {
      printf "Growth from 100 to 1,000 tenants (10x the tenants): first converge x%.2f, unchanged re-run x%.2f.\n", f2 / f1, a2 / a1 }'
  fi
} >"$result"
echo ">> $result"
cat "$result"
