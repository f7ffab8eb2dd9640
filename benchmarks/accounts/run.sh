#!/usr/bin/env bash
# Accounts at scale: a fresh systemd container converged with playbooks/site.yml (one host), then
# xmpp.prosody.account with COUNT accounts in one call: created, applied again unchanged (each
# password compared by Prosody, none set), and once more with one password changed; a real login
# with the last account ends each row. Writes benchmarks/results/accounts_<tier>_<release>.md.
#   minimal: SQL storage (SQLite), debian: file storage (internal_hashed)
# Usage (from `make bench-accounts`): benchmarks/accounts/run.sh [COUNT ...]
# Environment: TIER=minimal|debian (default minimal), RELEASE=bookworm|trixie (default bookworm).
set -euo pipefail
cd "$(dirname "$0")/../.."
tier=${TIER:-minimal}
release=${RELEASE:-bookworm}
counts=("${@:-100 1000}")
read -r -a counts <<<"${counts[*]}"
name=xmpp-prosody-bench
image=xmpp-prosody-test:$release
work=.build/bench/accounts_$tier/$release
result=benchmarks/results/accounts_${tier}_$release.md
mkdir -p "$work"
case $tier in
  minimal) storage="SQL (SQLite)" ;;
  debian) storage="files (internal_hashed)" ;;
  *) echo "TIER must be minimal or debian" >&2; exit 2 ;;
esac

# shellcheck source=benchmarks/lib.sh
. benchmarks/lib.sh
ca=$(tier_path "$tier" ca_cert)

cat >"$work/inventory.yml" <<YAML
prosody:
  hosts:
    $name:
      ansible_connection: community.docker.docker
  vars:
    prosody_tier: $tier
    prosody_vhosts: [{name: bench.test}]
YAML
cat >"$work/accounts.yml" <<'YAML'
- name: Apply the benchmark's accounts
  hosts: prosody
  gather_facts: false
  tasks:
    - name: All accounts in one call
      xmpp.prosody.account:
        tier: "{{ prosody_tier }}"
        accounts: "{{ bench_accounts }}"
      register: applied

    - name: Say what changed
      ansible.builtin.debug:
        msg: "outcomes: {{ applied.accounts | map(attribute='outcome') | community.general.counter | to_json }}"
YAML

# The accounts (user1..userN@bench.test), with the password of user1 given by $2.
accounts() {
  python3 - "$1" "$2" <<'PY'
import json, sys
count, first = int(sys.argv[1]), sys.argv[2]
print(json.dumps({"bench_accounts": [
    {"jid": "user%d@bench.test" % i, "password": first if i == 1 else "pw-%d" % i} for i in range(1, count + 1)
]}))
PY
}

# Applies the accounts file $2, keeps the log, checks `changed=$3`, prints the wall seconds.
apply() {
  local label=$1 file=$2 want=$3 log=$work/$1.log start
  start=$(now)
  ansible-playbook -i "$work/inventory.yml" "$work/accounts.yml" -e "@$file" >"$log" 2>&1 || { tail -n 30 "$log" >&2; exit 1; }
  local took changed
  took=$(since "$start")
  changed=$(sed -n "s/^$name .*changed=\([0-9]*\).*/\1/p" "$log")
  [ "$changed" = "$want" ] || { echo "$label: changed=$changed, expected $want (log: $log)" >&2; exit 1; }
  echo "$took"
}

rows=()
for count in "${counts[@]}"; do
  echo ">> accounts on $tier ($storage): $count on $release"
  docker rm -f "$name" >/dev/null 2>&1 || true
  tests/integration/start-container.sh "$name" "$image" >/dev/null
  ansible-playbook -i "$work/inventory.yml" playbooks/site.yml >"$work/site-$count.log" 2>&1 || { tail -n 30 "$work/site-$count.log" >&2; exit 1; }
  accounts "$count" first-pw >"$work/accounts-$count.json"
  accounts "$count" changed-pw >"$work/changed-$count.json"
  created=$(apply "created-$count" "$work/accounts-$count.json" 1)
  again=$(apply "again-$count" "$work/accounts-$count.json" 0)
  changed=$(apply "changed-$count" "$work/changed-$count.json" 1)
  grep -q '"updated": 1[,}]' "$work/changed-$count.log" ||
    { echo "one password changed, but the run said otherwise ($work/changed-$count.log)" >&2; exit 1; }
  docker cp tests/integration/xmpp_probe.py "$name":/usr/local/bin/xmpp-probe
  in_box sh -c "grep -q ' bench.test\$' /etc/hosts || echo '127.0.0.1 bench.test' >>/etc/hosts"
  docker exec -e XMPP_PASSWORD="pw-$count" "$name" python3 /usr/local/bin/xmpp-probe --jid "user$count@bench.test" \
    --cafile "$ca" >"$work/login-$count.json" 2>/dev/null || { echo "login failed ($work/login-$count.json)" >&2; exit 1; }
  version=$(in_box dpkg-query -W -f "\${Version}" prosody)
  rows+=("| $count | $created | $again | $changed |")
  echo "   created $created s, unchanged $again s, one changed $changed s"
  docker rm -f "$name" >/dev/null
done

{
  echo "# Accounts at scale: the $tier tier, $storage, $release (benchmarks/accounts/run.sh)"
  echo
  machine "$version"
  echo
  echo "Times are wall seconds of one \`ansible-playbook\` run with one xmpp.prosody.account task holding every account."
  echo "Created: all new. Unchanged: the same accounts again (Prosody compares each password; none is set, nobody is"
  echo "disconnected). One changed: the same accounts with one password changed (all compared, then one set)."
  echo "Every row ends with a real login (slixmpp, STARTTLS) as the last account."
  echo
  echo "| accounts | created | unchanged re-run | one password changed |"
  echo "|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
} >"$result"
echo ">> $result"
cat "$result"
