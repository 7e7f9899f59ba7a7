#!/bin/sh
# GET /cgi-bin/control?ACTION steers the pod from outside:
#   unready / ready       GET /ready answers 404 / 200 (the readiness probe)
#   unhealthy / healthy   GET /healthz answers 404 / 200 (the liveness probe)
#   get=URL               answers what GET URL answers from inside the pod (DNS, Services)
case "$QUERY_STRING" in
  get=*)
    printf 'Content-Type: text/plain\r\n\r\n'
    # timeout, not wget -T: Debian's static busybox 1.35 wget crashes with -T.
    timeout 5 wget -q -O - "${QUERY_STRING#get=}" 2>&1 || echo "wget failed"
    exit 0
    ;;
  ready) echo ok > /www/ready ;;
  unready) rm -f /www/ready ;;
  healthy) echo ok > /www/healthz ;;
  unhealthy) rm -f /www/healthz ;;
  *)
    printf 'Status: 400 Bad Request\r\nContent-Type: text/plain\r\n\r\nunknown action "%s"\n' "$QUERY_STRING"
    exit 0
    ;;
esac
printf 'Content-Type: text/plain\r\n\r\n%s on %s\n' "$QUERY_STRING" "$(hostname)"
