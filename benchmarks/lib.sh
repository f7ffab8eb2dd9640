# shellcheck shell=bash
# Shared by the benchmarks (sourced): the clock, a command in the benchmark's container, and the
# machine line every result file starts with. Expects $name (the container) and $release.
# shellcheck disable=SC2154
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
in_box() { docker exec "$name" "$@"; }
# A well-known path of a tier with its default roots, from the tier record (never spelled out here).
tier_path() {
  python3 -c 'import sys; from ansible_collections.xmpp.prosody.plugins.module_utils.tiers.table import TIERS, well_known_paths as p; from ansible_collections.xmpp.prosody.plugins.module_utils._roots import resolve_roots; t = TIERS[sys.argv[1]]; print(p(t.name, resolve_roots(t, None))[sys.argv[2]])' "$1" "$2"
}

# The lines that say where a result was measured ($1: the Prosody version in the container).
machine() {
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo),"
  # shellcheck disable=SC1091
  echo "$(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r), $(docker --version | cut -d, -f1);"
  echo "$(ansible --version | head -n 1) with this repository's ansible.cfg (pipelining on); target: a systemd container of"
  echo "xmpp-prosody-test:$release, Prosody $1, over the community.docker.docker connection. Measured $(date -u +%Y-%m-%d)."
}
