#!/bin/sh
# Before removal (not before an upgrade): stop and disable the service.
# dpkg passes "remove" (or "upgrade"), rpm the number of versions left.
set -e

case "$1" in
  remove | 0)
    if command -v systemctl >/dev/null 2>&1; then
      systemctl disable --now mltop.service >/dev/null 2>&1 || true
    fi
    ;;
esac
exit 0
