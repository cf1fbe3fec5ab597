#!/usr/bin/env bash
# Installs the system packages convenantgen needs, when they are missing.
#   scripts/system-deps.sh build   python3-venv, LibreOffice (headless Writer) and the fonts
#   scripts/system-deps.sh test    the same plus Chromium, poppler-utils, LibreOffice Calc and PDFBox Preflight for the tests
# As root it runs apt-get; otherwise it prints the exact command to run and fails.
set -euo pipefail
what="${1:-build}"
need=()
python3 -c 'import ensurepip, venv' 2>/dev/null || need+=(python3-venv)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
fc-list 2>/dev/null | grep -qi carlito || need+=(fonts-crosextra-carlito)
fc-list 2>/dev/null | grep -qi caladea || need+=(fonts-crosextra-caladea)
fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
if [ "$what" = test ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
  # LibreOffice Calc opens the open data's spreadsheet CSV (tests/test_spreadsheet_csv.py).
  dpkg -s libreoffice-calc-nogui >/dev/null 2>&1 || dpkg -s libreoffice-calc >/dev/null 2>&1 \
    || need+=(libreoffice-calc-nogui)
  # PDFBox Preflight (PDF/A-1 checks) for tests/test_document_structure.py: Java, the jars,
  # and the activation and JAXB APIs that Java 11+ no longer ships.
  command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
  [ -f /usr/share/java/preflight.jar ] || need+=(libpdfbox2-java)
  [ -f /usr/share/java/javax.activation.jar ] || need+=(libactivation-java)
  [ -f /usr/share/java/jaxb-api.jar ] || need+=(libjaxb-api-java)
fi
[ ${#need[@]} -eq 0 ] && exit 0
cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${need[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "convenantgen needs system packages: ${need[*]}" >&2
  echo "Run as root:  sudo sh -c '$cmd'" >&2
  exit 1
fi
echo "Installing system packages: ${need[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
