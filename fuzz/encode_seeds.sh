#!/usr/bin/env bash
# Regenerates the request fuzz targets' binary seeds, fuzz/corpus/<target>/<name>.bin, from the
# text-format requests in fuzz/seeds/<target>/<name>.txtpb: the "# selector:" byte (which request
# type the target parses) followed by the request in the binary wire format (protoc --encode).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
declare -A PROTO=(
  [placement_request_fuzz]=slihub/placement/v1/placement_service.proto
  [workforce_request_fuzz]=slihub/workforce/v1/workforce_service.proto
  [datacollection_request_fuzz]=slihub/datacollection/v1/datacollection_service.proto
  [peerreview_request_fuzz]=slihub/peerreview/v1/peerreview_service.proto
)
for target in "${!PROTO[@]}"; do
  mkdir -p "$ROOT/fuzz/corpus/$target"
  for seed in "$ROOT/fuzz/seeds/$target"/*.txtpb; do
    message=$(sed -n 's/^# proto-message: //p' "$seed")
    selector=$(sed -n 's/^# selector: //p' "$seed")
    out="$ROOT/fuzz/corpus/$target/$(basename "$seed" .txtpb).bin"
    {
      printf "\\x$(printf %02x "$selector")"
      grep -v '^#' "$seed" | protoc --encode="$message" -I "$ROOT/protos" -I /usr/include \
        "${PROTO[$target]}"
    } >"$out"
  done
done
