# Helpers shared by the bench/*.sh scripts: source "$(dirname "$0")/lib.sh"

# free_port: prints a TCP port on 127.0.0.1 that was free a moment ago.
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# median: prints the median of the numbers on stdin, one a line.
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }

# status_kib PID FIELD: a size field of /proc/PID/status in KiB: VmRSS (resident now) or VmHWM
# (peak resident, the same number /usr/bin/time's "%M" reports).
status_kib() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }

# wait_ready PORT PID TIMEOUT_S: polls http://127.0.0.1:PORT/-/ready every 0.1 s until it answers
# 200. Fails, saying why on stderr, when process PID exits or TIMEOUT_S seconds pass first.
wait_ready() {
  local deadline=$((SECONDS + $3))
  until curl -fsS -o /dev/null "http://127.0.0.1:$1/-/ready" 2>/dev/null; do
    if ! kill -0 "$2" 2>/dev/null; then
      echo "exited before it was ready" >&2
      return 1
    fi
    if ((SECONDS >= deadline)); then
      echo "not ready after $3 s" >&2
      return 1
    fi
    sleep 0.1
  done
}
