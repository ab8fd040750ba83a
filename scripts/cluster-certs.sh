#!/usr/bin/env bash
# Makes the certificates of a cluster's mutual TLS (API.md, "Cluster"), with
# Debian's openssl: a CA (DIR/ca.pem, DIR/ca.key, made once and reused) and a
# node certificate it signs (DIR/NAME.pem, DIR/NAME.key; P-256 keys without
# passphrase, valid for VALID_DAYS, default 825).
#
#   scripts/cluster-certs.sh DIR [NAME=node]
#
# Every node needs ca.pem and a certificate of its own signed by ca.key,
# under the paths the cluster file's "tls" names (relative to that file).
# Keep ca.key off the nodes: whoever has it can make a certificate that the
# nodes trust like one of their own.
set -euo pipefail
dir=${1:?usage: $0 DIR [NAME]}
name=${2:-node}
days=${VALID_DAYS:-825}
if ! [[ $name =~ ^[A-Za-z0-9_-]+$ ]]; then
  echo "$0: NAME must be letters, digits, '_' or '-'" >&2
  exit 2
fi
mkdir -p "$dir"
cd "$dir"
umask 077
key=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes)
if [ ! -s ca.pem ] || [ ! -s ca.key ]; then
  openssl req -x509 "${key[@]}" -days "$days" -keyout ca.key -out ca.pem \
    -subj "/CN=bookstore cluster ca" 2>/dev/null
fi
openssl req "${key[@]}" -keyout "$name.key" -out "$name.csr" \
  -subj "/CN=bookstore node $name" 2>/dev/null
openssl x509 -req -days "$days" -in "$name.csr" -CA ca.pem -CAkey ca.key \
  -CAcreateserial -out "$name.pem" 2>/dev/null
rm -f "$name.csr"
chmod 644 ca.pem "$name.pem"
echo "$PWD/$name.pem and $PWD/$name.key, signed by $PWD/ca.pem"
