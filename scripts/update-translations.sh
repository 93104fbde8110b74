#!/usr/bin/env bash
# Refreshes translations/maas_zh_CN.ts from the tr() strings in app/ and widgets/.
# New strings arrive as unfinished: translate them (Qt Linguist, or by hand) before committing.
set -euo pipefail
cd "$(dirname "$0")/.."
/usr/lib/qt6/bin/lupdate -locations relative -no-obsolete app widgets -ts translations/maas_zh_CN.ts
