#!/usr/bin/env bash
# Distinct syscalls each sample makes in its smoke run, counted with `strace -f` on the host: the baseline
# every generated profile is compared with (Docker's default allows 306 on x86_64: `portcullis stats`).
# usage: bench/sample-syscalls.sh   (after `dotnet build BuildTools.sln`)
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
count() { grep -oE '^[0-9]+ +([a-z0-9_]+)\(' "$1" | awk '{print $2}' | tr -d '(' | sort -u | wc -l; }

# TodoApi: start it, drive every endpoint over HTTP, stop it.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
Todo__DataDirectory="$work/data" Upstream__Url="http://127.0.0.1:$port/health" \
  strace -f -qq -o "$work/todo.trace" dotnet samples/TodoApi/bin/Debug/net10.0/TodoApi.dll --urls "http://127.0.0.1:$port" > /dev/null &
app=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/health" > /dev/null && break; sleep 0.2; done
id=$(curl -sf -H 'Content-Type: application/json' -d '{"title":"t"}' "http://127.0.0.1:$port/todos" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
curl -sf "http://127.0.0.1:$port/todos/$id" > /dev/null
curl -sf -X PUT -H 'Content-Type: application/json' -d "{\"id\":\"$id\",\"title\":\"t\",\"done\":true}" "http://127.0.0.1:$port/todos/$id" > /dev/null
curl -sf "http://127.0.0.1:$port/todos" "http://127.0.0.1:$port/upstream" "http://127.0.0.1:$port/config" "http://127.0.0.1:$port/stats" > /dev/null
curl -sf -X DELETE "http://127.0.0.1:$port/todos/$id" > /dev/null
# strace keeps its tracee when signalled itself: stop the app under it.
kill -TERM "$(pgrep -P "$app")"; wait "$app" || true

# Worker: six inputs, results to a Unix socket listener.
mkdir -p "$work/in" "$work/out"
for i in 1 2 3 4 5 6; do echo "some words $i" > "$work/in/f$i.txt"; done
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(1); c,_=s.accept(); c.recv(1<<20)' "$work/r.sock" &
listener=$!
sleep 0.3
strace -f -qq -o "$work/worker.trace" dotnet samples/Worker/bin/Debug/net10.0/Worker.dll "$work/in" "$work/out" "$work/r.sock" > /dev/null
wait "$listener" || true

echo "TodoApi smoke run: $(count "$work/todo.trace") distinct syscalls"
echo "Worker smoke run:  $(count "$work/worker.trace") distinct syscalls"
echo "Docker's default profile allows 306 on x86_64 (portcullis stats ../shared/testdata/seccomp/docker-default.json)"
