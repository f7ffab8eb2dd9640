#!/bin/sh
# Managed by the role xmpp.prosody.dev; edits here are overwritten.
# Deploys what config/production.cfg.lua shows: hands the workspace's inputs (config/production.json,
# the same ones the three configs come from) to the collection's playbook xmpp.prosody.site, which
# runs on the inventory's group "prosody" the tier role each host names in prosody_tier
# (production.cfg.lua shows what the minimal tier writes). Nothing is copied from this workspace
# but those inputs: your own modules in src/modules are not deployed.
#
#   tools/deploy.sh INVENTORY [ansible-playbook options]           show what would change (--check --diff)
#   tools/deploy.sh INVENTORY --apply [ansible-playbook options]   deploy it
set -eu
usage() {
  sed -n '3,10p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
[ $# -ge 1 ] || usage
case $1 in
  -*) usage ;;
  /*) inventory=$1 ;;
  *) inventory=$PWD/$1 ;;  # as given, relative to where you are
esac
shift
workspace=$(cd "$(dirname "$0")/.." && pwd)
mode="--check --diff"
for arg in "$@"; do
  shift
  if [ "$arg" = "--apply" ]; then mode="--diff"; else set -- "$@" "$arg"; fi
done
if ! command -v ansible-playbook >/dev/null 2>&1; then
  echo "deploy: ansible-playbook is not installed here (pip install ansible, then the xmpp.prosody collection)" >&2
  exit 1
fi
case $mode in
  *check*) echo "deploy: showing what would change (give --apply to deploy)" >&2 ;;
  *) echo "deploy: deploying" >&2 ;;
esac
set -x
# shellcheck disable=SC2086  # $mode is one or two options
exec ansible-playbook -i "$inventory" -e "@$workspace/config/production.json" $mode "$@" xmpp.prosody.site
