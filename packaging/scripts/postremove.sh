#!/bin/sh
# After removal. /var/lib/mltop (the host key, which users' known_hosts
# trust, and the audit log, a record) and the user mltop are kept, also on
# purge: delete them by hand when they are no longer wanted.
set -e

if [ -d /run/systemd/system ]; then
  systemctl daemon-reload >/dev/null 2>&1 || true
fi
if [ "$1" = purge ]; then
  rm -rf /var/log/mltop
fi
exit 0
