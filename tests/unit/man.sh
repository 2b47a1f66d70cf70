#!/bin/bash
# tools/mkman: the man pages made from README.md render without a warning,
# carry every row of the README's options and parameter tables (read here
# with sed, not as mkman reads them, so that a row mkman drops fails), keep
# "\|" and backslashes in cells, escape what roff would take for requests,
# and come out the same twice (no build date).
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/lib.sh
. tests/lib.sh
t_need groff awk || t_exit
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT

# render PAGE: the page as plain text, one line ($PAGE.txt), no
# hyphenation, every run of spaces and line ends one space; warnings
# (-ww) in $PAGE.err.
render() {
	groff -man -Tutf8 -ww -z "$1" 2>"$1.err"
	groff -man -Tascii -rHY=0 -P -cbou "$1" 2>/dev/null | tr '\n' ' ' | tr -s ' ' >"$1.txt"
}
# plain: a markdown cell as the reader sees it (no backticks, links as
# their text, "\|" a bar).
plain() { sed -e 's/`//g' -e 's/\[\([^]]*\)\]([^)]*)/\1/g' -e 's/\\|/|/g'; }
# rows SECTION: the README's table rows of "## SECTION", one a line, as
# "TAG<tab>first words of the text", in plain text.
rows() {
	sed -n "/^## $1\$/,/^## /p" README.md | grep '^| ' | grep -v '^| --- ' | tail -n +2 |
		sed -e 's/\\|/\x01/g' -e 's/^| //' -e 's/ |$//' -e 's/ | /\t/' -e 's/\x01/\\|/g' |
		while IFS=$'\t' read -r tag text; do
			printf '%s\t%s\n' "$(plain <<<"$tag")" "$(plain <<<"$text" | cut -d' ' -f1-4)"
		done
}
# has_rows NAME PAGE SECTION MIN: every row of the section's table is in
# the page's text: its tag followed by its text's first words. Fewer than
# MIN rows read: the reading here is broken.
has_rows() {
	local name=$1 page=$2 min=$4 n=0 miss='' tag text
	while IFS=$'\t' read -r tag text; do
		n=$((n + 1))
		grep -qF -- "$tag $text" "$page.txt" || miss="$miss [$tag]"
	done < <(rows "$3")
	if [ "$n" -lt "$min" ]; then
		t_fail "$name" "only $n rows read from README.md's '## $3' table: the test's reading is broken"
	elif [ -n "$miss" ]; then
		t_fail "$name" "rows of the README missing from $page:$miss"
	else
		t_ok "$name"
	fi
}

if SOURCE_DATE_EPOCH=31536000 tools/mkman "$T/a" 2>"$T/mkman.err"; then
	t_ok mkman-runs
else
	t_fail mkman-runs "tools/mkman failed: $(cat "$T/mkman.err")"
	t_exit
fi
P8=$T/a/handoff-mkinitramfs.8
P7=$T/a/handoff.7
for p in "$P8" "$P7"; do
	render "$p"
	n=${p##*/}
	if [ -s "$p.err" ]; then t_fail "$n-no-warnings" "groff -ww: $(head -3 "$p.err")"; else t_ok "$n-no-warnings"; fi
done
t_grep man8-th "$P8" '^\.TH HANDOFF\\-MKINITRAMFS 8 "1971-01-01" "handoff [0-9.]+"'
t_grep man7-th "$P7" '^\.TH HANDOFF 7 "1971-01-01"'
has_rows man8-every-option "$P8" "Installing it as the system's initramfs generator" 10
has_rows man7-every-parameter "$P7" "Kernel command line" 40
has_rows man7-rescue-builds "$P7" "When boot goes wrong" 2
# The spec's sections, which the README has no table of.
for s in SYNOPSIS OPTIONS FILES ENVIRONMENT "EXIT STATUS" EXAMPLES "SEE ALSO"; do
	t_grep "man8-section-${s// /-}" "$P8" "^\\.SH \"?$s\"?\$"
done
t_grep man8-files "$P8.txt" '/etc/handoff/handoff.conf .*/etc/handoff/conf.d/\*.conf .*/boot/initrd.img-KVER .*/boot/initrd.img-KVER.old'
t_grep man8-exit-3 "$P8.txt" 'EXIT STATUS 0 .* 1 .* 2 .* 3 --check refused'
t_grep man8-sde "$P8.txt" 'ENVIRONMENT SOURCE_DATE_EPOCH '
t_grep man8-synopsis "$P8.txt" 'SYNOPSIS handoff-mkinitramfs \[-k KVER\] \[-o FILE\] .*\[-c FILE\]'
t_grep man7-rescue-list "$P7.txt" '1\. with rd.shell.* o parameters written to /run/handoff/cmdline.* 2\. otherwise, with panic=N'
t_grep man7-messages "$P7.txt" 'Messages Every message starts with handoff:'
# "\|" in a cell is a bar, a backslash stays one, hyphens are ASCII.
t_grep man8-bar-in-cell "$P8.txt" ' --microcode auto\|no an uncompressed first archive'
t_grep man7-bar-in-cell "$P7.txt" ' fsck.mode=auto\|force\|skip, fsck.repair=preen\|yes\|no '
t_grep man7-backslash "$P7.txt" '\(\\x20 for a space in a label\)'
# Links are their text: "[Locked images](#locked-images-lockdown1)".
t_grep man7-link-text "$P7.txt" '\(see Locked images\)'
t_nogrep man7-no-link-target "$P7.txt" '\]\(|#locked-images'


# Reproducible: the same bytes twice; no date without SOURCE_DATE_EPOCH.
SOURCE_DATE_EPOCH=31536000 tools/mkman "$T/b" >/dev/null 2>&1
if cmp -s "$P8" "$T/b/handoff-mkinitramfs.8" && cmp -s "$P7" "$T/b/handoff.7"; then
	t_ok man-reproducible
else
	t_fail man-reproducible "two runs of tools/mkman with the same SOURCE_DATE_EPOCH differ"
fi
(unset SOURCE_DATE_EPOCH && tools/mkman "$T/c" >/dev/null 2>&1)
t_grep man-no-build-date "$T/c/handoff.7" '^\.TH HANDOFF 7 "" '

# A README of roff's traps: lines that would be requests, backslashes and
# bars in cells, a nested list.
mkdir "$T/fx"
cat >"$T/fx/README.md" <<'EOF'
## Installing it as the system's initramfs generator

'quoted' starts this paragraph, with a lone \ backslash.

| option | meaning |
| --- | --- |
| `-x A\|B` | .starts with a dot; `C:\path\|more` |
| `--yes-no` | 'a quote first |

## Kernel command line

.dot at the start of a paragraph, and [a link](docs/x.md).

| parameter | meaning |
| --- | --- |
| `p=a\|b` | \fB not a font change |

## When boot goes wrong

1. one
   - nested
2. two
EOF
if tools/mkman "$T/fx/out" "$T/fx/README.md" 2>"$T/fx/err"; then
	for p in "$T/fx/out/handoff-mkinitramfs.8" "$T/fx/out/handoff.7"; do render "$p"; done
	F8=$T/fx/out/handoff-mkinitramfs.8
	F7=$T/fx/out/handoff.7
	if [ -s "$F8.err" ] || [ -s "$F7.err" ]; then
		t_fail traps-no-warnings "groff -ww: $(cat "$F8.err" "$F7.err" | head -3)"
	else
		t_ok traps-no-warnings
	fi
	t_grep traps-leading-quote "$F8.txt" "'quoted' starts this paragraph, with a lone \\\\ backslash"
	t_grep traps-leading-dot "$F8.txt" '-x A\|B \.starts with a dot; C:\\path\|more'
	t_grep traps-quote-in-cell "$F8.txt" "--yes-no 'a quote first"
	t_grep traps-dot-paragraph "$F7.txt" '\.dot at the start of a paragraph, and a link\.'
	t_grep traps-escape-literal "$F7.txt" 'p=a\|b \\fB not a font change'
	t_grep traps-nested-list "$F7.txt" '1\. one o nested 2\. two'
else
	t_fail traps-mkman "tools/mkman on the fixture failed: $(cat "$T/fx/err")"
fi
# Refusals: a missing section and a character roff would mangle are named.
printf '## Kernel command line\n\ntext\n' >"$T/fx/short.md"
if tools/mkman "$T/fx/o2" "$T/fx/short.md" 2>"$T/fx/err2"; then
	t_fail refuses-missing-section "tools/mkman made pages from a README without the install section"
else
	t_grep refuses-missing-section "$T/fx/err2" "no section '## Installing it as the system's initramfs generator'"
fi
sed 's/^.dot at the start/.dot at the st\xc3\xa4rt/' "$T/fx/README.md" >"$T/fx/utf.md"
if tools/mkman "$T/fx/o3" "$T/fx/utf.md" 2>"$T/fx/err3"; then
	t_fail refuses-non-ascii "tools/mkman took a character that is not ASCII"
else
	t_grep refuses-non-ascii "$T/fx/err3" 'not ASCII'
fi
t_exit
