#!/usr/bin/env bash
# Generates zeroshot/v1/env_service_pb2.py and sweep_service_pb2.py from proto/ with the system protoc. The generated
# code must match the protobuf runtime: Debian 12's protobuf-compiler 3.21 goes with its
# python3-protobuf 3.21 (a newer protoc writes code that a 3.21 runtime refuses).
# gRPC needs no generated stub: the client calls the methods by name.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/../.."
protoc --version
protoc -I "$root/proto/src/main/proto" --python_out="$here" "$root/proto/src/main/proto/zeroshot/v1/env_service.proto" \
    "$root/proto/src/main/proto/zeroshot/v1/sweep_service.proto"
