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
cat >"$ctx/Dockerfile.tools" <<'DF'
FROM berth-fixture/busybox:1
ENV GREETING=hello
RUN mkdir /data && echo tools > /data/what
CMD ["sleep", "3600"]
DF
docker build -q -t berth-fixture/tools:1 -f "$ctx/Dockerfile.tools" "$ctx" >/dev/null
echo "[fixtures] berth-fixture/{busybox,web,tools}:1 ready"
