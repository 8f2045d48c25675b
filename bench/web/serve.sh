# Sourced by the bench/web scripts (admission, mixed, slow-clients,
# weights): starts `passerelle serve` on a free loopback port over the
# database "$db" with the binary "$bin", stops it on exit, and waits until
# /readyz answers (5 minutes at most; the server's log is printed if it
# stops). Sets: port, base, pid, work (a temporary directory removed on
# exit), log.
work="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
log="$work/serve.log"
"$bin" --db "$db" serve --addr "127.0.0.1:$port" 2>"$log" &
pid=$!
cleanup() {
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
deadline=$((SECONDS + 300))
until curl -fs "$base/readyz" >/dev/null 2>&1; do
  kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
  [ "$SECONDS" -lt "$deadline" ] || { echo "le serveur ne répond pas" >&2; exit 1; }
  sleep 0.1
done
