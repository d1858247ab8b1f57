#!/bin/sh
# Install the Debian packages cchc needs to build, test and run.
# Used by `make deps` (and so by `make check`, `make demo`) and by .ci/run.
# Only apt-get from the configured Debian archive; nothing else is downloaded.
set -eu

PKGS="build-essential pkg-config clang libclang-rt-14-dev \
libncurses-dev liblmdb-dev lmdb-utils libsodium-dev libzstd-dev libcbor-dev \
libcurl4-openssl-dev libmicrohttpd-dev libxlsxwriter-dev libinih-dev libcmocka-dev \
unicode-data bzip2 hunspell-vi tmux locales systemd \
python3-openpyxl"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "cchc: missing Debian packages:$missing" >&2
	echo "cchc: run as root: apt-get install$missing" >&2
	exit 1
fi
echo "cchc: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
