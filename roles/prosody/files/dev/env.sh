# Managed by the role xmpp.prosody.dev; edits here are overwritten.
# Sourced by the tools from the workspace's root: the ports and paths of config/workspace.env, and
# which Prosody runs - a source checkout in src/prosody once it is built (./configure && make),
# else Debian's packaged one.
# shellcheck shell=sh disable=SC2034  # prosody and prosodyctl: read by the tools that source this
. config/workspace.env
prosody=prosody
prosodyctl=prosodyctl
if [ -e src/prosody/util/encodings.so ]; then
  export PROSODY_SRCDIR="$WORKSPACE/src/prosody/" PROSODY_PLUGINDIR="$WORKSPACE/src/prosody/plugins/"
  prosody=$WORKSPACE/src/prosody/prosody
  prosodyctl=$WORKSPACE/src/prosody/prosodyctl
fi
