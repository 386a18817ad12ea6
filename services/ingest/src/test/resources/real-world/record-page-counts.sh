#!/usr/bin/env bash
# Records the page count poppler's pdfinfo gives for every PDF here, in page-counts.txt ("file pages").
# RealWorldPdfTest checks ingest's count against this file, so CI needs neither apt nor poppler.
# Run again after adding a PDF: apt-get install poppler-utils && ./record-page-counts.sh
set -euo pipefail
cd "$(dirname "$0")"
for f in *.pdf; do
  printf '%s %s\n' "$f" "$(pdfinfo "$f" | sed -n 's/^Pages: *//p')"
done > page-counts.txt
cat page-counts.txt
