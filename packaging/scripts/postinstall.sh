#!/bin/sh
# After install or upgrade (.deb and .rpm): the system user mltop.service
# runs as, its state directory (host key, audit log) and log directory.
# The service is not enabled here: the admin lists users in
# /etc/mltop/config.yaml first, then runs systemctl enable --now mltop.
set -e

if ! getent group mltop >/dev/null; then
  groupadd --system mltop
fi
if ! getent passwd mltop >/dev/null; then
  useradd --system --gid mltop --home-dir /var/lib/mltop --no-create-home \
    --shell /usr/sbin/nologin --comment "mltop serve" mltop
fi
install -d -m 0700 -o mltop -g mltop /var/lib/mltop
install -d -m 0750 -o mltop -g mltop /var/log/mltop

if [ -d /run/systemd/system ]; then
  systemctl daemon-reload >/dev/null 2>&1 || true
  # An upgrade restarts a running service onto the new binary.
  systemctl try-restart mltop.service >/dev/null 2>&1 || true
fi
exit 0
