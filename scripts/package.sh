#!/usr/bin/env bash
# Builds Berth's release .deb and .rpm (the Tauri CLI's bundler) and tests
# them as a user gets them (X4):
#   - the .deb's Depends hold every package dpkg-shlibdeps finds the binary
#     needs;
#   - in a clean Debian 12 root (debootstrap, cached outside the repo), the
#     .deb installs with `apt-get install ./berth_*.deb`, its dependencies
#     resolved from the package registry; every library of the binary
#     resolves; the desktop entry and icons sit where menus find them;
#     `berth --version` answers with no window;
#   - the installed app, started in that root under Xvfb (chroot with /proc,
#     /dev, /tmp and the engine's socket bound in), opens on the engine and
#     lists its containers (checked over WebDriver, packaging/check_installed.py),
#     its window's WM_CLASS is the desktop entry's StartupWMClass, and its
#     About view names the version;
#   - the .rpm: its dependencies (rpm -qpR), its files, and its payload
#     unpacked into an empty rpm root. No rpm-based system can be made here
#     (no Fedora or openSUSE repository is reachable), so it is not run.
#
# Usage: scripts/package.sh [--no-build]   (--no-build: test the bundles in
#        target/release/bundle as they are)
# Env:   BERTH_PACKAGE_CACHE (default /var/cache/berth-package): the clean
#        root's tarball and the downloaded .debs, kept between runs.
#        BERTH_DEBIAN_MIRROR (default http://deb.debian.org/debian).
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n\033[1m=== %s\033[0m\n' "$*"; }
fail() { printf '\033[31mFAIL\033[0m %s\n' "$*" >&2; exit 1; }
ok() { printf '  ok: %s\n' "$*"; }
t0=$SECONDS
build=1
[[ ${1:-} == --no-build ]] && build=0
cache=${BERTH_PACKAGE_CACHE:-/var/cache/berth-package}
mirror=${BERTH_DEBIAN_MIRROR:-http://deb.debian.org/debian}
out=target/package
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
[[ -n $version ]] || fail "no version in Cargo.toml's [workspace.package]"

[[ $(id -u) -eq 0 ]] || fail "run it as root: debootstrap, chroot and its mounts need root (sudo scripts/package.sh)"

step "set-up"
scripts/setup.sh package

if ((build)); then
  step "release build and bundles (npx tauri build --bundles deb,rpm)"
  t=$SECONDS
  npx tauri build --bundles deb,rpm
  echo "  built in $((SECONDS - t)) s"
fi
deb=$(ls target/release/bundle/deb/Berth_"${version}"_*.deb 2>/dev/null | head -1)
rpm=$(ls target/release/bundle/rpm/Berth-"${version}"-*.rpm 2>/dev/null | head -1)
[[ -f $deb ]] || fail "no target/release/bundle/deb/Berth_${version}_*.deb (run without --no-build)"
[[ -f $rpm ]] || fail "no target/release/bundle/rpm/Berth-${version}-*.rpm (run without --no-build)"
rm -rf "$out" && mkdir -p "$out"
echo "  $deb ($(du -h "$deb" | cut -f1)), $rpm ($(du -h "$rpm" | cut -f1))"

step "the .deb's control fields"
dpkg-deb -f "$deb" Package Version Architecture Depends Recommends Section | sed 's/^/  /'
[[ $(dpkg-deb -f "$deb" Package) == berth ]] || fail "the package is not named berth"
[[ $(dpkg-deb -f "$deb" Version) == "$version" ]] || fail "the package's version is not Cargo.toml's $version"
# dpkg-shlibdeps reads the installed shlibs files to name the packages the
# binary's libraries come from: each must be in Depends.
mkdir -p "$out/deb/debian"
dpkg-deb -x "$deb" "$out/deb/root"
touch "$out/deb/debian/control"
needed=$(cd "$out/deb" && dpkg-shlibdeps -O root/usr/bin/berth 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[[ -n $needed ]] || fail "dpkg-shlibdeps found no dependency of usr/bin/berth"
echo "  dpkg-shlibdeps: $needed"
depends=$(dpkg-deb -f "$deb" Depends)
missing=()
IFS=',' read -ra wants <<<"$needed"
for w in "${wants[@]}"; do
  w=$(echo "$w" | sed 's/^ *//; s/ *$//')
  # The clause as dpkg-shlibdeps writes it, version and all.
  grep -qF ", $w," <<<", $depends," || missing+=("$w")
done
((${#missing[@]} == 0)) || fail "Depends lacks: ${missing[*]} (dpkg-shlibdeps says: $needed; set bundle.linux.deb.depends in tauri.conf.json)"
ok "every clause dpkg-shlibdeps writes is in Depends"

file -b "$out/deb/root/usr/bin/berth" | grep -q ', stripped' ||
  fail "usr/bin/berth is not stripped (Cargo.toml's [profile.release] strip)"
ok "usr/bin/berth is stripped ($(du -h "$out/deb/root/usr/bin/berth" | cut -f1))"

step "a clean Debian 12 root"
mkdir -p "$cache/archives"
pristine=$cache/bookworm-minbase.tar
if [[ ! -f $pristine ]]; then
  t=$SECONDS
  staging=$cache/staging
  rm -rf "$staging"
  debootstrap --variant=minbase --cache-dir="$cache/archives" bookworm "$staging" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
    { tail -20 "$cache/debootstrap.log"; fail "debootstrap did not finish (log: $cache/debootstrap.log)"; }
  security=${mirror%/debian}/debian-security
  cat >"$staging/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security bookworm-security main
EOF
  chroot "$staging" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive chroot "$staging" apt-get -y -qq upgrade >/dev/null
  chroot "$staging" apt-get clean
  tar -C "$staging" -cf "$pristine.part" . && mv "$pristine.part" "$pristine"
  rm -rf "$staging"
  echo "  made $pristine in $((SECONDS - t)) s (kept for the next run)"
else
  echo "  from $pristine"
fi
root=$out/root
mkdir -p "$root"
tar -C "$root" -xf "$pristine"
installed_before=$(chroot "$root" dpkg-query -W -f='${Package}\n' | wc -l)

# Everything that touches the root's mounts runs in a private mount
# namespace (unshare -m): its mounts vanish with it, whatever ends it.
in_root() {
  unshare -m --propagation private sh -c '
    root=$1; shift
    mount --bind "$ARCHIVES" "$root/var/cache/apt/archives"
    mount -t proc proc "$root/proc"
    mount --rbind /dev "$root/dev"
    [ -n "$WITH_TMP" ] && mount --rbind /tmp "$root/tmp"
    if [ -n "$ENGINE_SOCK" ]; then
      touch "$root/run/docker.sock" && mount --bind "$ENGINE_SOCK" "$root/run/docker.sock"
    fi
    exec chroot "$root" "$@"' sh "$root" "$@"
}
export ARCHIVES=$cache/archives WITH_TMP="" ENGINE_SOCK=""

step "install: apt-get install ./berth_${version}_amd64.deb"
cp "$deb" "$root/root/"
t=$SECONDS
apt_log=$out/apt-install.log
if ! in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
  "/root/$(basename "$deb")" >"$apt_log" 2>&1; then
  tail -20 "$apt_log"
  fail "apt-get install of the .deb failed in the clean root (log: $apt_log)"
fi
in_root dpkg-query -W -f='${Status} ${Version}\n' berth | grep -q "install ok installed $version" ||
  fail "dpkg does not list berth $version as installed"
echo "  installed with $(($(in_root dpkg-query -W -f='${Package}\n' | wc -l) - installed_before)) packages in $((SECONDS - t)) s"

step "the installed files"
unresolved=$(in_root ldd /usr/bin/berth | grep 'not found' || true)
[[ -z $unresolved ]] || fail "libraries of /usr/bin/berth do not resolve: $unresolved"
ok "every library of /usr/bin/berth resolves ($(in_root ldd /usr/bin/berth | wc -l) of them)"
for helper in "$root"/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/WebKit{Web,Network}Process; do
  [[ -x $helper ]] || fail "WebKitGTK's ${helper##*/} is not installed"
done
desktop=$root/usr/share/applications/Berth.desktop
[[ -f $desktop ]] || fail "no desktop entry at /usr/share/applications/Berth.desktop (found: $(ls "$root/usr/share/applications" 2>/dev/null))"
desktop-file-validate "$desktop" || fail "the desktop entry does not validate"
entry() { sed -n "s/^$1=//p" "$desktop" | head -1; }
[[ $(entry Name) == Berth ]] || fail "the desktop entry's Name is '$(entry Name)', not Berth"
exec_line=$(entry Exec)
[[ $(in_root sh -c "command -v ${exec_line%% *}") == /usr/bin/berth ]] || fail "the desktop entry's Exec ($exec_line) is not /usr/bin/berth on PATH"
icon=$(entry Icon)
wmclass=$(entry StartupWMClass)
[[ -n $wmclass ]] || fail "the desktop entry has no StartupWMClass"
sizes=()
for s in 32x32 128x128 256x256; do
  [[ -f $root/usr/share/icons/hicolor/$s/apps/$icon.png ]] && sizes+=("$s")
done
((${#sizes[@]} == 3)) || fail "icons in /usr/share/icons/hicolor/{32x32,128x128,256x256}/apps/$icon.png: only ${sizes[*]:-none} (found: $(cd "$root" && find usr/share/icons -name "$icon*" | tr '\n' ' '))"
ok "desktop entry Name=Berth Exec=$exec_line Icon=$icon (${sizes[*]}) StartupWMClass=$wmclass"
# Every symbol the window shows (its icons, arrows, dashes) has a font in
# the clean root, so none is drawn as an empty box.
missing=()
for hex in $(python3 packaging/ui_glyphs.py); do
  [[ -n $(in_root fc-list ":charset=$hex" family 2>/dev/null | head -1) ]] || missing+=("U+${hex^^}")
done
((${#missing[@]} == 0)) || fail "no font in the clean root draws ${missing[*]} (used in ui/src)"
ok "every symbol the window uses has a font in the clean root ($(python3 packaging/ui_glyphs.py | wc -l) of them)"
said=$(in_root env -u DISPLAY -u WAYLAND_DISPLAY timeout 10 berth --version) || fail "berth --version failed"
[[ $said == "Berth $version" ]] || fail "berth --version said '$said', not 'Berth $version'"
ok "berth --version: $said (no display needed)"

step "run the installed app in the root, under Xvfb, on the engine"
engine_sock=/var/run/docker.sock
[[ ${DOCKER_HOST:-} == unix://* ]] && engine_sock=${DOCKER_HOST#unix://}
[[ -S $engine_sock ]] || fail "no engine socket at $engine_sock"
# The WebDriver the check speaks to lives in the root too (installed after
# the checks above, so it hid no missing dependency). Tauri lets WebKit's
# automation in only with TAURI_WEBVIEW_AUTOMATION=true (as tauri-driver sets).
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends webkit2gtk-driver >>"$apt_log" 2>&1 ||
  fail "webkit2gtk-driver did not install in the root (log: $apt_log)"
name=berth-test-package-$$
docker rm -f "$name" >/dev/null 2>&1 || true
docker create --name "$name" --label berth.test=1 berth-fixture/busybox:1 sleep 600 >/dev/null
cleanup() { docker rm -f "$name" >/dev/null 2>&1 || true; [[ -n ${driver_pid:-} ]] && kill "$driver_pid" 2>/dev/null; [[ -n ${xvfb_pid:-} ]] && kill "$xvfb_pid" 2>/dev/null; true; }
trap cleanup EXIT
# -displayfd: Xvfb picks a free display and writes its number once it
# accepts clients.
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$out/display" >/dev/null 2>&1 &
xvfb_pid=$!
for _ in $(seq 1 80); do grep -q '^[0-9]' "$out/display" 2>/dev/null && break; sleep 0.25; done
number=$(head -1 "$out/display")
[[ $number =~ ^[0-9]+$ ]] || fail "Xvfb did not start"
display=:$number
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
WITH_TMP=1 ENGINE_SOCK=$engine_sock in_root env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin \
  DISPLAY="$display" LANG=C.UTF-8 DOCKER_HOST=unix:///run/docker.sock TAURI_WEBVIEW_AUTOMATION=true \
  WebKitWebDriver --port="$port" --host=127.0.0.1 >"$out/webdriver.log" 2>&1 &
driver_pid=$!
timeout 240 .venv/bin/python packaging/check_installed.py --port "$port" --display "$display" --container "$name" \
  --version "$version" --wmclass "$wmclass" --shot "$out/installed.png" ||
  { tail -20 "$out/webdriver.log"; fail "the installed app did not pass (log: $out/webdriver.log)"; }

step "the .rpm"
echo "  rpm -qpR:"
rpm -qpR "$rpm" 2>/dev/null | sed 's/^/    /'
# rpmbuild's own rule: each library the binary links (its ELF NEEDED
# entries, but the loader) is a Requires of SONAME()(64bit).
requires=$(rpm -qpR "$rpm" 2>/dev/null)
missing=()
for so in $(readelf -d "$out/deb/root/usr/bin/berth" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
  [[ $so == ld-linux* ]] && continue
  grep -qxF "$so()(64bit)" <<<"$requires" || missing+=("$so()(64bit)")
done
((${#missing[@]} == 0)) || fail "the rpm does not require ${missing[*]} (set bundle.linux.rpm.depends in tauri.conf.json)"
ok "the rpm requires every library the binary links"
[[ $(rpm -qp --qf '%{NAME} %{VERSION}' "$rpm" 2>/dev/null) == "berth $version" ]] || fail "the rpm is not berth $version: $(rpm -qp --qf '%{NAME} %{VERSION}' "$rpm")"
files=$(rpm -qpl "$rpm" 2>/dev/null)
for f in /usr/bin/berth /usr/share/applications/Berth.desktop "/usr/share/icons/hicolor/128x128/apps/$icon.png"; do
  grep -qx "$f" <<<"$files" || fail "the rpm lacks $f"
done
rpmroot=$out/rpmroot
mkdir -p "$rpmroot"
rpm --root "$(realpath "$rpmroot")" --initdb
rpm --root "$(realpath "$rpmroot")" -i --nodeps --noscripts --nosignature "$rpm" 2>/dev/null
# Tauri marks each bundle's copy of the binary with its bundle type, so the
# two copies differ by that mark; the rpm's must run and say the version.
said=$(env -u DISPLAY -u WAYLAND_DISPLAY timeout 10 "$rpmroot/usr/bin/berth" --version) || fail "the rpm's berth --version failed"
[[ $said == "Berth $version" ]] || fail "the rpm's berth --version said '$said'"
ok "the rpm unpacks (rpm -i --root) and its berth says: $said"

step "done in $((SECONDS - t0)) s"
