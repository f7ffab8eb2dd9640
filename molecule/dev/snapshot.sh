#!/bin/sh
# Every path outside the dev workspace: type, owner, group and mode, and for anything but a directory
# also size and mtime (a directory's mtime moves whenever an entry is added, e.g. the workspace in
# the home directory). Left out: pseudo and volatile file systems, the journal, Ansible's own temp
# directories, the snapshots themselves, and the workspace.
find / -xdev \( -path /proc -o -path /sys -o -path /dev -o -path /run -o -path /tmp -o -path /var/tmp \
  -o -path /var/log/journal -o -path /root/.ansible -o -path /home/dev/.ansible -o -path /home/dev/prosody-dev \) -prune \
  -o -type d -printf '%p d %u:%g %m\n' -o -printf '%p %y %u:%g %m %s %T@\n' | sort
