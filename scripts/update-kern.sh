#!/bin/sh
# Vendor the KERN UX design system (@kern-ux/native, EUPL-1.2) with its Fira Sans fonts
# (SIL OFL 1.1) into the static files. Run by a developer, never at install or run time:
# the copied files are committed, the platform needs neither npm nor a CDN.
#
#   scripts/update-kern.sh 2.7.2
#
# Then: change the version in the two <link>s of src/krisenwissen/ui/templates/ui/base.html
# and in tests/browser/test_kern_ux.py, update the version in docs/ui.md, walk the pages (tests/browser/test_kern_ux.py and
# the page walk), delete the old version's folder and commit.
set -eu

VERSION="${1:?usage: scripts/update-kern.sh <version>, e.g. 2.7.2}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENDOR="$ROOT/src/krisenwissen/ui/static/ui/vendor/kern-ux"
DEST="$VENDOR/$VERSION"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# The licence text of Fira Sans is not in the npm package: carry it over from the
# newest vendored version (it does not change between KERN releases).
PREVIOUS_OFL="$(ls -d "$VENDOR"/*/fonts/OFL.txt 2>/dev/null | sort -V | tail -n 1 || true)"
if [ -n "$PREVIOUS_OFL" ]; then cp "$PREVIOUS_OFL" "$WORK/OFL.txt"; fi

(cd "$WORK" && npm pack --silent "@kern-ux/native@$VERSION" >/dev/null && tar xzf kern-ux-native-*.tgz)
PKG="$WORK/package"

LICENSE="$(sed -n 's/.*"license": *"\([^"]*\)".*/\1/p' "$PKG/package.json")"
if [ "$LICENSE" != "EUPL-1.2" ]; then
  echo "The licence of @kern-ux/native $VERSION is '$LICENSE', not EUPL-1.2: check it before vendoring." >&2
  exit 1
fi

rm -rf "$DEST"
mkdir -p "$DEST/fonts/fira-sans"
cp "$PKG/dist/kern.min.css" "$DEST/kern.min.css"
cp "$PKG/LICENSE.md" "$DEST/LICENSE.md"
cp "$PKG/dist/fonts/fira-sans.css" "$DEST/fonts/fira-sans.css"
# Only the font files the stylesheet references (collectstatic's manifest needs each of them).
for font in $(sed -n 's/.*url("\.\/fira-sans\/\([^"]*\.woff2\)").*/\1/p' "$PKG/dist/fonts/fira-sans.css" | sort -u); do
  cp "$PKG/dist/fonts/fira-sans/$font" "$DEST/fonts/fira-sans/$font"
done
if [ -f "$WORK/OFL.txt" ]; then cp "$WORK/OFL.txt" "$DEST/fonts/OFL.txt"; fi
if [ ! -f "$DEST/fonts/OFL.txt" ]; then
  echo "Add the SIL OFL 1.1 text of Fira Sans as $DEST/fonts/OFL.txt" >&2
fi
du -sh "$DEST"
