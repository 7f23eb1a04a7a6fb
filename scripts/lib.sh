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
