#!/bin/sh
# A stand-in for a service writing its log to stdout: about three seconds of lines at a mix of
# levels that shifts over time (calm, then a database outage, then recovery), in the usual
# "time LEVEL component: message" shape. Plain POSIX sh (dash), so it runs on any Debian.
seed=${1:-7}
n=0
while [ "$n" -lt 120 ]; do
  seed=$(( (seed * 1103515245 + 12345) % 2147483648 ))
  r=$(( (seed / 65536) % 100 ))
  if [ "$n" -ge 45 ] && [ "$n" -lt 75 ]; then   # the outage: errors and warnings dominate
    errors=45; warnings=80
  else
    errors=3; warnings=15
  fi
  if [ "$r" -lt "$errors" ]; then
    line="ERROR db: connection refused (attempt $(( r % 5 + 1 )))"
  elif [ "$r" -lt "$warnings" ]; then
    line="WARN  http: slow request GET /orders/$(( r * 37 % 1000 )) took $(( r * 13 ))ms"
  elif [ "$r" -lt 90 ]; then
    line="INFO  http: GET /orders/$(( r * 37 % 1000 )) 200"
  else
    line="DEBUG cache: hit ratio 0.$(( r % 10 ))$(( r % 7 ))"
  fi
  echo "$(date +%H:%M:%S.%3N) $line"
  n=$(( n + 1 ))
  sleep 0.025
done
echo "$(date +%H:%M:%S.%3N) INFO  main: shutting down"
