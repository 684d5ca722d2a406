#!/usr/bin/env bash
# Make sure the OS-level parts the full test suite needs are installed and running:
# Chromium (browser tests), Prometheus Alertmanager (the live intake test), PostgreSQL on
# 127.0.0.1:5432 (user postgres, trust auth) and Redis on 127.0.0.1:6379. Installs missing Debian packages (needs root) and starts
# servers that are installed but stopped. Safe to run again.
set -euo pipefail

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

if ! command -v chromium >/dev/null 2>&1; then
  echo "ensure-services: installing chromium"
  apt_install chromium
fi

# The test starts its own Alertmanager (own port, no clustering); the package's service may stay stopped.
if ! command -v prometheus-alertmanager >/dev/null 2>&1; then
  echo "ensure-services: installing prometheus-alertmanager"
  apt_install prometheus-alertmanager
fi

if ! command -v pg_isready >/dev/null 2>&1 || ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
  echo "ensure-services: installing postgresql"
  apt_install postgresql
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  version="$(ls /etc/postgresql | sort -V | tail -1)"
  conf="/etc/postgresql/$version/main"
  # Local trust auth for the test user, as the README describes for development machines.
  if ! grep -q "hindsight-ci" "$conf/pg_hba.conf"; then
    as_root sed -i '1i host all all 127.0.0.1/32 trust # hindsight-ci\nlocal all all trust # hindsight-ci' "$conf/pg_hba.conf"
  fi
  echo "ensure-services: starting postgresql $version"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432
# pg_dump and pg_restore (the backup test) must be at least the server's major version.
server_major="$(psql -h 127.0.0.1 -U postgres -Atc 'SHOW server_version_num' | cut -c1-2)"
if ! pg_dump --version 2>/dev/null | grep -q " ${server_major}\."; then
  echo "ensure-services: installing postgresql-client-${server_major}"
  apt_install "postgresql-client-${server_major}" || apt_install postgresql-client
fi

if ! command -v redis-server >/dev/null 2>&1; then
  echo "ensure-services: installing redis-server"
  apt_install redis-server
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "ensure-services: starting redis"
  as_root mkdir -p /var/lib/redis /var/log/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/hindsight-ci.log
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
fi
redis-cli -h 127.0.0.1 -p 6379 ping
