# Sourced by the benchmark scripts: the privilege check, before anything is built or measured.

# Exits 77 (EX_NOPERM) unless this is root with CAP_NET_ADMIN and CAP_SYS_ADMIN (a container's root may lack them).
require_root() {
    if [ "$(id -u)" != 0 ]; then echo "$0: needs root (network namespaces, tc)" >&2; exit 77; fi
    local effective
    effective=$(awk '/^CapEff:/ { print $2 }' /proc/self/status 2>/dev/null || true)
    if [ -n "$effective" ] && (( (0x$effective >> 12 & 1) == 0 || (0x$effective >> 21 & 1) == 0 )); then
        echo "$0: root here lacks CAP_NET_ADMIN or CAP_SYS_ADMIN (CapEff $effective): network namespaces and tc need both" >&2
        exit 77
    fi
}
