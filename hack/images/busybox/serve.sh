#!/bin/sh
# The entrypoint of mirrorkube.local/busybox: serves /www over HTTP and
# misbehaves on demand, as tests of a real node need.
#
#   PAGE          the page's text; GET / answers "$PAGE from <hostname>" (default "hello")
#   PORT          the HTTP port (default 80)
#   READY_AFTER   seconds before GET /ready answers 200 (default 0)
#   NEVER_READY   if set, GET /ready never answers 200
#   EXIT_AFTER    seconds after which the container exits with EXIT_CODE (default 1)
#   ALLOCATE_MB   MiB of memory to allocate and hold (over the memory limit: OOMKilled)
#
# GET /healthz answers 200 until /cgi-bin/control?unhealthy; /cgi-bin/control?unready
# and ?ready take /ready away and back (see control.cgi).

# PID 1 of the container: without a handler SIGTERM would be ignored and every
# deletion would wait for the grace period.
trap 'exit 0' TERM INT

echo "${PAGE:-hello} from $(hostname)" > /www/index.html
echo ok > /www/healthz
httpd -f -p "${PORT:-80}" -h /www &

if [ -z "${NEVER_READY:-}" ]; then
  (sleep "${READY_AFTER:-0}" && echo ok > /www/ready) &
fi

if [ -n "${ALLOCATE_MB:-}" ]; then
  # One string of 1 MiB per element; awk copies on assignment, so the memory is really held.
  awk -v mb="$ALLOCATE_MB" 'BEGIN { s = sprintf("%1048576s", ""); for (i = 0; i < mb; i++) held[i] = s; print "holding " mb " MiB"; while (1) system("sleep 3600") }' &
  wait $!
  exit $?
fi

if [ -n "${EXIT_AFTER:-}" ]; then
  sleep "$EXIT_AFTER" &
  wait $!
  echo "exiting with ${EXIT_CODE:-1} as asked"
  exit "${EXIT_CODE:-1}"
fi

wait
