#!/usr/bin/env bash
# Build the local test images (no registry is reachable): debootstrap a Debian release,
# `docker import` it, then add systemd & co with the Dockerfile beside this script.
# Images are tagged with a hash of their definition and rebuilt only when it changes.
# Usage: build.sh RELEASE...   (e.g. bookworm trixie); prints nothing but progress.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
tag=$(cat "$here/Dockerfile" "$here/build.sh" | sha256sum | cut -c1-12)

command -v debootstrap >/dev/null 2>&1 || {
  echo ">> installing debootstrap"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
}

for release in "$@"; do
  image="xmpp-prosody-test:${release}"
  if [ "$(docker image inspect -f '{{ index .Config.Labels "xmpp.prosody.definition" }}' "$image" 2>/dev/null)" = "$tag" ]; then
    echo ">> $image is up to date ($tag)"
    continue
  fi
  base="xmpp-prosody-base:${release}"
  if ! docker image inspect "$base" >/dev/null 2>&1; then
    echo ">> debootstrap $release (minbase) from $mirror"
    rootfs=$(mktemp -d /var/tmp/xmpp-prosody-rootfs.XXXXXX)
    trap 'rm -rf "$rootfs"' EXIT
    debootstrap --variant=minbase "$release" "$rootfs" "$mirror" >/dev/null
    tar -C "$rootfs" -c . | docker import - "$base" >/dev/null
    rm -rf "$rootfs"
    trap - EXIT
  fi
  echo ">> building $image"
  docker build -q --build-arg "BASE=$base" --label "xmpp.prosody.definition=$tag" -t "$image" "$here" >/dev/null
done
