# Shared helpers for the project's scripts (sourced, not run).

# need_packages PKG... : installs the Debian packages that are missing (as root), or says how.
need_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  if [[ "$(id -u)" -ne 0 ]]; then
    echo "missing Debian packages: ${missing[*]}; run: sudo apt-get install -y ${missing[*]}" >&2
    return 1
  fi
  echo "installing Debian packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# require_jdk21 : prints a JAVA_HOME with a JDK >= 21 (JAVA_HOME, then /usr/lib/jvm), installing a
# Debian/Ubuntu OpenJDK 21 or 25 as root when there is none and the distribution has one.
require_jdk21() {
  local c v
  for c in ${JAVA_HOME:+"$JAVA_HOME"} $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    c="${c%/}"
    [[ -x "$c/bin/javac" ]] || continue
    v="$("$c/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n1)"
    if [[ -n "$v" && "${v%%.*}" -ge 21 ]]; then echo "$c"; return 0; fi
  done
  if [[ "$(id -u)" -eq 0 && -z "${_HSDO_JDK_TRIED:-}" ]]; then
    _HSDO_JDK_TRIED=1
    apt-get update -qq >&2 || true
    for p in openjdk-25-jdk-headless openjdk-21-jdk-headless; do
      if apt-cache show "$p" >/dev/null 2>&1; then need_packages "$p" && { require_jdk21; return; }; fi
    done
  fi
  echo "no JDK >= 21 found in JAVA_HOME (${JAVA_HOME:-unset}) or /usr/lib/jvm, and the distribution offers none;" >&2
  echo "install a JDK 21+ (e.g. Temurin) under /usr/lib/jvm or point JAVA_HOME at one" >&2
  return 1
}

# Debian 13 (trixie) packages that make up a runnable HAProxy 3.0: the binary and every library it
# loads (directly or through liblua/libopentracing) that Debian 12's copies cannot stand in for.
HAPROXY30_PACKAGES=(haproxy libc6 libcrypt1 libjemalloc2 liblua5.4-0 libopentracing-c-wrapper0t64
  libopentracing1 libpcre2-8-0 libssl3t64 libstdc++6 libgcc-s1 zlib1g libzstd1)

# haproxy30_dir CACHE : prints CACHE/bin, where `haproxy` is Debian 13's HAProxy 3.0 built to run here;
# builds it when CACHE holds no working one. Fails with a message naming the step that failed.
haproxy30_dir() {
  local cache="$1"
  if [[ -f "$cache/ok" ]] && "$cache/bin/haproxy" -v >/dev/null 2>&1; then echo "$cache/bin"; return 0; fi
  mkdir -p "$(dirname "$cache")"
  (
    # One builder at a time (two test runs may start together); the second one finds the cache ready.
    exec 9>"$cache.lock"
    flock 9
    if [[ -f "$cache/ok" ]] && "$cache/bin/haproxy" -v >/dev/null 2>&1; then exit 0; fi
    _haproxy30_build "$cache"
  ) || return 1
  echo "$cache/bin"
}

# Builds into CACHE (its contents are replaced). Absolute paths end up in the binary (interpreter,
# rpath), so it is built where it stays; the "ok" stamp written last marks a complete build.
_haproxy30_build() {
  local cache="$1" mirror p d
  fail() { echo "scripts/haproxy30: $*" >&2; exit 1; }
  echo "building HAProxy 3.0 from Debian 13's packages into $cache (once) ..." >&2
  need_packages patchelf || fail "patchelf is needed to point the binary at Debian 13's libraries"
  rm -rf "$cache"
  mkdir -p "$cache/lists/partial" "$cache/debs" "$cache/root" "$cache/bin"
  mirror="${HSDO_DEBIAN_MIRROR:-$(apt-get indextargets --format '$(REPO_URI)' 2>/dev/null \
    | grep -v -e security -e updates | grep -m1 -i debian || true)}"
  mirror="${mirror:-http://deb.debian.org/debian/}"
  echo "deb ${mirror%/} trixie main" >"$cache/sources.list"
  # Private sources, lists, archives and no binary cache: the system's apt state stays as it was.
  local apt=(-q -o "Dir::Etc::sourcelist=$cache/sources.list" -o Dir::Etc::sourceparts=-
    -o "Dir::State::Lists=$cache/lists" -o "Dir::Cache::archives=$cache/debs"
    -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= -o APT::Get::List-Cleanup=0)
  apt-get "${apt[@]}" update >"$cache/apt.log" 2>&1 \
    || fail "cannot read Debian 13's package lists from $mirror (HSDO_DEBIAN_MIRROR sets another mirror): $(tail -n3 "$cache/apt.log")"
  for p in "${HAPROXY30_PACKAGES[@]}"; do
    (cd "$cache/debs" && apt-get "${apt[@]}" download "$p/trixie") >>"$cache/apt.log" 2>&1 \
      || fail "cannot download the Debian 13 package $p from $mirror: $(tail -n2 "$cache/apt.log")"
  done
  for d in "$cache"/debs/*.deb; do dpkg-deb -x "$d" "$cache/root" || fail "cannot unpack $d"; done
  local libdir interp
  libdir="$(dirname "$(find "$cache/root" -name libc.so.6 | head -n1)")"
  interp="$(find "$libdir" "$cache/root/lib64" -maxdepth 1 -name 'ld-linux*.so*' 2>/dev/null | head -n1)"
  [[ -n "$interp" && -f "$cache/root/usr/sbin/haproxy" ]] || fail "the unpacked packages hold no haproxy or no dynamic loader"
  cp "$cache/root/usr/sbin/haproxy" "$cache/bin/haproxy"
  # --force-rpath: a DT_RPATH (unlike RUNPATH) also serves the libraries' own dependencies, so liblua
  # gets Debian 13's libm rather than the system's.
  patchelf --set-interpreter "$interp" --force-rpath --set-rpath "$libdir" "$cache/bin/haproxy" \
    || fail "patchelf failed on $cache/bin/haproxy"
  local v
  v="$("$cache/bin/haproxy" -v 2>&1)" || fail "the patched binary does not run: $v"
  v="${v%%$'\n'*}"
  [[ "$v" == "HAProxy version 3.0."* ]] || fail "expected HAProxy 3.0, the package gave: $v"
  rm -rf "$cache/debs" "$cache/lists"
  echo "$v" >"$cache/ok"
  echo "built: $v" >&2
}

# promtool_bin CACHE : prints the path of a promtool (PATH first, else Debian's package `prometheus`
# unpacked into CACHE once). Unpacked rather than installed: installing the package would also install
# and start a Prometheus server.
promtool_bin() {
  local cache="$1"
  if command -v promtool >/dev/null 2>&1; then command -v promtool; return 0; fi
  if [[ -x "$cache/usr/bin/promtool" ]] && "$cache/usr/bin/promtool" --version >/dev/null 2>&1; then
    echo "$cache/usr/bin/promtool"; return 0
  fi
  rm -rf "$cache" && mkdir -p "$cache/debs"
  (cd "$cache/debs" && apt-get download -q prometheus) >"$cache/apt.log" 2>&1 \
    || { apt-get update -qq >>"$cache/apt.log" 2>&1; (cd "$cache/debs" && apt-get download -q prometheus) >>"$cache/apt.log" 2>&1; } \
    || { echo "cannot download Debian's package prometheus (for promtool): $(tail -n2 "$cache/apt.log")" >&2; return 1; }
  dpkg-deb -x "$cache"/debs/prometheus_*.deb "$cache" || { echo "cannot unpack $cache/debs/prometheus_*.deb" >&2; return 1; }
  rm -rf "$cache/debs" "$cache/usr/share" "$cache/usr/bin/prometheus"
  "$cache/usr/bin/promtool" --version >/dev/null 2>&1 || { echo "the unpacked promtool does not run" >&2; return 1; }
  echo "$cache/usr/bin/promtool"
}

# need_galera_packages : MariaDB and Galera for the Galera tests and the galera benchmark, which start their own
# servers on free loopback ports. The distribution's mariadb service must not run beside them (it would take
# port 3306 and memory on a shared machine for nothing): stopped, and disabled, if the install started it.
need_galera_packages() {
  need_packages mariadb-server galera-4 mariadb-client rsync || return 1
  [[ "$(id -u)" -eq 0 ]] || return 0
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet mariadb 2>/dev/null; then
    echo "stopping and disabling the packaged mariadb service (the Galera tests run their own servers)" >&2
    systemctl disable --now --quiet mariadb
  elif [[ -x /etc/init.d/mariadb ]] && /etc/init.d/mariadb status >/dev/null 2>&1; then
    echo "stopping the packaged mariadb service (the Galera tests run their own servers)" >&2
    /etc/init.d/mariadb stop >/dev/null
  fi
}
