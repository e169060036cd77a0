#!/usr/bin/env bash
# Machines for the Swarm tests (E7), made on this one: N dockerds, each in a
# network namespace of its own (ip netns, a veth to a bridge of the test's
# own) with its own hostname (node1, node2...), data root, exec root, pid
# file and socket. Traffic flows only between the test's namespaces.
#
#   scripts/swarm-nodes.sh up DIR N NET   start N engines; sockets DIR/nodeK/docker.sock,
#                                         addresses 10.77.NET.1K (NET 1..250 keeps runs apart)
#   scripts/swarm-nodes.sh down DIR       stop them and remove what `up` made
#
# Needs root, iproute2, nsenter/unshare (util-linux) and docker.io. The
# fixture images are loaded into each engine (no registry is reachable from
# inside the namespaces). Seen on this kind of machine: the kernel has VXLAN
# (overlay networks work) but no IPVS, so the routing mesh (published ports)
# cannot work here; the tests publish nothing.
set -euo pipefail

IMAGES=(berth-fixture/busybox:1 berth-fixture/web:1 berth-fixture/web:2 berth-fixture/tools:1)

up() {
  local dir=$1 n=$2 net=$3
  local bridge="berthsw$net"
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  echo "bridge=$bridge" >"$dir/nodes.env"
  echo "n=$n" >>"$dir/nodes.env"
  echo "net=$net" >>"$dir/nodes.env"
  ip link add "$bridge" type bridge
  ip link set "$bridge" up
  # The host's FORWARD policy is DROP and bridged frames pass iptables
  # (br_netfilter): let the namespaces talk to each other, nothing more.
  iptables -I DOCKER-USER -i "$bridge" -o "$bridge" -j ACCEPT
  docker save "${IMAGES[@]}" -o "$dir/images.tar"
  local k
  for k in $(seq 1 "$n"); do
    local ns="$bridge-$k" node="$dir/node$k"
    mkdir -p "$node"
    ip netns add "$ns"
    ip link add "bsw$net-$k" type veth peer name eth0 netns "$ns"
    ip link set "bsw$net-$k" master "$bridge" up
    ip -n "$ns" addr add "10.77.$net.1$k/24" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" link set lo up
    echo '{}' >"$node/daemon.json"
    # nsenter, not `ip netns exec`: the latter remounts /sys and dockerd
    # then finds no devices cgroup.
    nsenter --net="/run/netns/$ns" unshare --uts sh -c '
      hostname "$1"; shift; exec "$@"' sh "node$k" \
      env DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1 dockerd \
      --config-file "$node/daemon.json" \
      --data-root "$node/data" --exec-root "$node/x" --pidfile "$node/dockerd.pid" \
      -H "unix://$node/docker.sock" --storage-driver vfs \
      >"$node/dockerd.log" 2>&1 &
  done
  for k in $(seq 1 "$n"); do
    local sock="$dir/node$k/docker.sock" i
    for i in $(seq 1 300); do
      docker -H "unix://$sock" version >/dev/null 2>&1 && break
      sleep 0.1
    done
    docker -H "unix://$sock" load -q -i "$dir/images.tar" >/dev/null
  done
  rm -f "$dir/images.tar"
  echo "[swarm-nodes] $n engines up in $dir (10.77.$net.11..1$n)"
}

down() {
  local dir=$1
  [ -f "$dir/nodes.env" ] || return 0
  # shellcheck disable=SC1091
  . "$dir/nodes.env"
  local k
  for k in $(seq 1 "$n"); do
    local pidfile="$dir/node$k/dockerd.pid"
    if [ -f "$pidfile" ]; then
      kill "$(cat "$pidfile")" 2>/dev/null || true
    fi
  done
  for k in $(seq 1 "$n"); do
    local pidfile="$dir/node$k/dockerd.pid" i
    for i in $(seq 1 100); do
      [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null || break
      sleep 0.1
    done
    # What the engine mounted below its roots (netns files, overlays).
    grep -o " $dir/node$k/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
    ip netns del "$bridge-$k" 2>/dev/null || true
  done
  iptables -D DOCKER-USER -i "$bridge" -o "$bridge" -j ACCEPT 2>/dev/null || true
  ip link del "$bridge" 2>/dev/null || true
  rm -rf "$dir"
  echo "[swarm-nodes] down: $dir"
}

case "${1:-}" in
  up) up "$2" "$3" "$4" ;;
  down) down "$2" ;;
  *)
    echo "usage: $0 up DIR N NET | down DIR" >&2
    exit 2
    ;;
esac
