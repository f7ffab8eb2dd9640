# shellcheck shell=bash
# Shared by the benchmarks (sourced): the clock, a command in the benchmark's container, and the
# machine line every result file starts with. Expects $name (the container) and $release.
# shellcheck disable=SC2154
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
in_box() { docker exec "$name" "$@"; }

# The lines that say where a result was measured ($1: the Prosody version in the container).
machine() {
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo),"
  # shellcheck disable=SC1091
  echo "$(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r), $(docker --version | cut -d, -f1);"
  echo "$(ansible --version | head -n 1) with this repository's ansible.cfg (pipelining on); target: a systemd container of"
  echo "xmpp-prosody-test:$release, Prosody $1, over the community.docker.docker connection. Measured $(date -u +%Y-%m-%d)."
}
