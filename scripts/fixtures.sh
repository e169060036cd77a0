#!/usr/bin/env bash
# Builds Berth's test images FROM scratch with busybox (no Docker Hub here).
# Three images share the base layer so that shared-size accounting has
# something to show. Idempotent: the build cache makes a re-run instant.
set -euo pipefail
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
cp /bin/busybox "$ctx/busybox"
cat >"$ctx/Dockerfile" <<'DF'
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
CMD ["sh"]
DF
docker build -q -t berth-fixture/busybox:1 "$ctx" >/dev/null
cat >"$ctx/Dockerfile.web" <<'DF'
FROM berth-fixture/busybox:1
RUN mkdir -p /www && echo '<h1>Berth</h1>' > /www/index.html
EXPOSE 80
CMD ["httpd", "-f", "-p", "80", "-h", "/www"]
DF
docker build -q -t berth-fixture/web:1 -f "$ctx/Dockerfile.web" "$ctx" >/dev/null
# A second version of the web server (Swarm's rolling update, E7): its page
# says so. Built on busybox, not on web:1, so that web:1's own layer stays
# its own (the layer-sharing tests count on it).
cat >"$ctx/Dockerfile.web2" <<'DF'
FROM berth-fixture/busybox:1
RUN mkdir -p /www && echo '<h1>Berth v2</h1>' > /www/index.html
EXPOSE 80
CMD ["httpd", "-f", "-p", "80", "-h", "/www"]
DF
docker build -q -t berth-fixture/web:2 -f "$ctx/Dockerfile.web2" "$ctx" >/dev/null
cat >"$ctx/Dockerfile.tools" <<'DF'
FROM berth-fixture/busybox:1
ENV GREETING=hello
RUN mkdir /data && echo tools > /data/what
CMD ["sleep", "3600"]
DF
docker build -q -t berth-fixture/tools:1 -f "$ctx/Dockerfile.tools" "$ctx" >/dev/null
# The random-number image of the notes' volume exercise (Labs, L5): writes
# a random number to /random/number.txt, keeping one already there (in a
# volume, from an earlier container), and prints it.
cat >"$ctx/Dockerfile.random" <<'DF'
FROM berth-fixture/busybox:1
CMD ["sh", "-c", "mkdir -p /random && { [ -s /random/number.txt ] || echo $RANDOM$RANDOM > /random/number.txt; } && cat /random/number.txt"]
DF
docker build -q -t berth-fixture/random-number:1 -f "$ctx/Dockerfile.random" "$ctx" >/dev/null
# The same images in the local registry (pull, push and inspector tests),
# and a two-platform OCI index (amd64 + arm64) pushed through its HTTP API.
registry=127.0.0.1:5000
if curl -fsS "http://$registry/v2/" >/dev/null 2>&1; then
  for name in busybox web tools; do
    docker tag "berth-fixture/$name:1" "$registry/berth-fixture/$name:1"
    docker push -q "$registry/berth-fixture/$name:1" >/dev/null
    docker image rm "$registry/berth-fixture/$name:1" >/dev/null
  done
  python3 "$(dirname "$0")/push_index.py" "$registry" berth-fixture/multi 1 >/dev/null
  echo "[fixtures] pushed to $registry: berth-fixture/{busybox,web,tools}:1 and the two-platform berth-fixture/multi:1"
fi
echo "[fixtures] berth-fixture/{busybox,web,tools,random-number}:1 and berth-fixture/web:2 ready"
