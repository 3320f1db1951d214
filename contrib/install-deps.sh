#!/usr/bin/env bash
# Installs the Debian packages throttlectl builds, tests and runs with (Debian 12; Swift is already there).
#   tzdata                           the IANA zone database: throttlectl reads its TZif files (TZDIR, else
#                                    /usr/share/zoneinfo), as date, cron and systemd do
#   libc-bin                         zdump, the tests' oracle for zone offsets (Essential, listed to say why)
#   libnl-3-dev libnl-route-3-dev    libnl, through which throttlectl talks to the kernel (build + run)
#   iproute2                         ip and tc: tests make namespaces with ip, and use tc as an oracle
#   iperf3 iputils-ping              real traffic for the tests and the demo
#   systemd                          systemd-analyze verify checks the units in contrib/systemd
#   dpkg-dev fakeroot                contrib/package-deb.sh builds the .deb (dpkg-deb, dpkg-shlibdeps)
#   prometheus                       promtool, which checks the --metrics-file output in the tests
#   python3-venv python3-apt         a private virtualenv for the PyPI tools below; apt for Ansible's apt module
# PyPI, into $THROTTLECTL_TOOLS (default /opt/throttlectl-tools), pinned:
#   ansible-core ansible-lint        contrib/ansible's role is run and linted by the tests
#   kubernetes-validate              validates contrib/kubernetes offline
set -euo pipefail
packages=(tzdata libc-bin libnl-3-dev libnl-route-3-dev iproute2 iperf3 iputils-ping systemd dpkg-dev fakeroot
    python3-venv python3-apt prometheus)
run() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
export DEBIAN_FRONTEND=noninteractive
run apt-get update
run apt-get install -y --no-install-recommends "${packages[@]}"

tools="${THROTTLECTL_TOOLS:-/opt/throttlectl-tools}"
pins=(ansible-core==2.19.14 ansible-lint==26.10.1 kubernetes-validate==1.37.0)
if [ ! -x "$tools/bin/python3" ]; then run /usr/bin/python3 -m venv "$tools"; fi
# pip is asked only when a pinned version is missing (a second run changes nothing and reaches no mirror).
installed="$("$tools/bin/python3" -m pip freeze 2>/dev/null || true)"
for pin in "${pins[@]}"; do
    if ! grep -qxF "$pin" <<<"$installed"; then
        run "$tools/bin/python3" -m pip install --quiet --disable-pip-version-check "${pins[@]}"
        break
    fi
done
