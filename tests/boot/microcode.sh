# Early microcode: an image whose first segment is an uncompressed cpio
# with kernel/x86/microcode/AuthenticAMD.bin and GenuineIntel.bin (made-up
# but well-formed updates), then our compressed image, as handoff-mkinitramfs
# lays it out. Debian's cloud kernel has no microcode loader
# (# CONFIG_MICROCODE is not set), so this boots Debian's generic kernel
# (linux-image-amd64: CONFIG_MICROCODE_AMD=y, early loading from the initrd).
#
# What the kernel says (6.1, arch/x86/kernel/cpu/microcode/): the early
# loader (load_ucode_amd_bsp, before the console is up) finds the file in
# the initrd's first cpio, parses the container, looks up the CPU's
# signature in its equivalence table, and writes the matching patch to the
# patch loader MSR unless the CPU's patch level is already higher; it reads
# the level back, and when it equals the patch's id it keeps that id, which
# microcode_init() later prints as "microcode updated early to new
# patch_level=0x...". QEMU's CPU ignores the write and reports the level
# of its ucode-rev property, so a patch whose id is that level (the kernel
# applies an equal level on purpose: SMT siblings) is accepted: the line
# appears only when the kernel found, parsed and matched our archive. The
# Intel path cannot be seen under QEMU (it needs a higher revision, which a
# refused write never reports, and says nothing when it fails), so the
# Intel file is only checked to be there and well formed.
# Negative boots: the same image without the early segment, and with the
# AMD file inside the compressed segment instead (the early loader reads
# only the uncompressed start): no line, the loader itself still running
# ("CPU0: patch_level=..."). Every boot reaches the sample root: the
# compressed segment after the early one unpacks.
. tests/boot/lib.sh
only_on x86_64 -- "x86 microcode"
t_need flock cmp od || t_exit
MK=$BUILD/host/mkcpio
LS=$BUILD/host/handoff-lsinitramfs
make -s "$MK" "$LS" >"$WORK/make.log" 2>&1 || { t_fail "$SCENARIO: make $MK $LS" "$(tail -3 "$WORK/make.log")"; t_exit; }
# The newest generic Debian kernel (not -cloud-).
DKVER=$(find /lib/modules -mindepth 1 -maxdepth 1 -name '*-amd64' ! -name '*-cloud-amd64' -printf '%f\n' 2>/dev/null | sort -V | tail -1)
DKERNEL=/boot/vmlinuz-$DKVER
if [ -z "$DKVER" ] || [ ! -r "$DKERNEL" ]; then
	t_fail "$SCENARIO-kernel" "no readable /boot/vmlinuz-*-amd64 (not -cloud-) with its /lib/modules: install linux-image-amd64 (tools/install-deps); the cloud kernel has no microcode loader"
	t_exit
fi
grep -q '^CONFIG_MICROCODE_AMD=y' "/boot/config-$DKVER" ||
	{ t_fail "$SCENARIO-kernel" "$DKERNEL has no CONFIG_MICROCODE_AMD=y"; t_exit; }
MAIN=$WORK/main.cpio.gz
# The default set: the generic kernel's ext4 is a module whose soft
# dependency names an alias (crypto-crc32c); handoff-modules takes its
# modules, or ext4 cannot mount ("Cannot load crc32c driver"). This boot
# is the proof of that too.
distro_image "$MAIN"

# ---- the made-up updates ----
le32() {
	local n
	for n; do
		# shellcheck disable=SC2059 # the format is the escapes
		printf "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' $((n & 255)) $((n >> 8 & 255)) $((n >> 16 & 255)) $((n >> 24 & 255)))"
	done
}
# shellcheck disable=SC2059 # the format is the escapes
le16() { printf "$(printf '\\x%02x\\x%02x' $(($1 & 255)) $(($1 >> 8 & 255)))"; }
zeros() { head -c "$1" /dev/zero; }

# QEMU's AMD CPU: family 0x17 (the loader wants 0x10 or later), without
# the hypervisor bit (the loader stays off under a hypervisor it can see),
# patch level LEVEL. CPUID(1).EAX for family 0x17 model 1 stepping 2:
# base family 0xf plus extended family 8.
LEVEL=0x08001250
AMD_CPU="qemu64,vendor=AuthenticAMD,family=23,model=1,stepping=2,-hypervisor,ucode-rev=$LEVEL"
AMD_SIG=0x00800f12
EQUIV=0x8012 # the patch family is 0xf + (id >> 12): 0x17
# The container (amd.c): magic "DMA\0"; the equivalence table (type 0)
# mapping the signature to EQUIV, ended by a zero entry; one patch
# section (type 1) whose header names the patch id and EQUIV.
{
	le32 0x00414d44 0 32
	le32 $AMD_SIG 0 0; le16 $EQUIV; le16 0
	zeros 16
	le32 1 96
	le32 0x12052026 $LEVEL; le16 0; printf '\0\0'; le32 0 0 0; le16 $EQUIV; zeros 6; zeros 32
	zeros 32
} >"$WORK/AuthenticAMD.bin"
# Intel (intel.c's sanity check): header version 1, loader version 1,
# revision 0x100, 2026-12-05, Skylake-Client's signature (06-5e-03), all
# platforms, 976 bytes of data in 1024, and the checksum that makes the
# 32-bit words sum to 0.
words=(1 0x100 0x12052026 0x000506e3 0 1 0xff 976 1024 0 0 0)
sum=0
for w in "${words[@]}"; do sum=$(((sum + w) & 0xffffffff)); done
words[4]=$(((0x100000000 - sum) & 0xffffffff))
{ le32 "${words[@]}"; zeros 976; } >"$WORK/GenuineIntel.bin"
t_check "the AMD container is 148 bytes" test "$(wc -c <"$WORK/AuthenticAMD.bin")" = 148
total=0
for w in $(od -An -v -tu4 "$WORK/GenuineIntel.bin"); do total=$(((total + w) & 0xffffffff)); done
t_check "the Intel update's words sum to 0 (its checksum)" test $total = 0

# ---- the images ----
# early.list: the layout handoff-mkinitramfs writes (dirs 0755, files 0644).
cat >"$WORK/early.list" <<EOF
dir /kernel 0755 0 0
dir /kernel/x86 0755 0 0
dir /kernel/x86/microcode 0755 0 0
file /kernel/x86/microcode/AuthenticAMD.bin $WORK/AuthenticAMD.bin 0644 0 0
file /kernel/x86/microcode/GenuineIntel.bin $WORK/GenuineIntel.bin 0644 0 0
EOF
"$MK" -c none -o "$WORK/early.cpio" "$WORK/early.list" 2>"$WORK/mkcpio.err" ||
	t_fail "$SCENARIO: mkcpio the early archive" "$(cat "$WORK/mkcpio.err")"
IMG=$WORK/ucode-initrd
cat "$WORK/early.cpio" "$MAIN" >"$IMG"
# The files in the wrong place: in the compressed segment (the main
# archive and the early one in one gzip stream, which the kernel unpacks
# whole, but whose start its early loader cannot read).
{ gzip -dc "$MAIN"; cat "$WORK/early.cpio"; } | gzip -n >"$WORK/late-initrd.gz"

# Both parts as our reader and Debian's lsinitramfs see them.
"$LS" "$IMG" >"$WORK/ls" 2>"$WORK/ls.err"
t_grep "reader: segment 1 is the uncompressed early cpio" "$WORK/ls" '^# segment 1: uncompressed cpio at 0$'
t_grep "reader: segment 2 is gzip" "$WORK/ls" "^# segment 2: gzip at $(wc -c <"$WORK/early.cpio")\$"
t_grep "reader: the AMD file in segment 1" <(sed '/^# segment 2/q' "$WORK/ls") ' 148 kernel/x86/microcode/AuthenticAMD.bin$'
t_grep "reader: the init in segment 2" "$WORK/ls" ' init$'

amd_boot() {
	boot "$1" --kernel "$DKERNEL" --initrd "$2" --mem 512 --timeout 240 --qemu -cpu --qemu "$AMD_CPU" -- \
		no_timer_check panic=1 root=/dev/vda
	booted "$1"
	mounted "$1" /dev/vda / ext4 'ro[, ]'
	t_grep "$1: the kernel's loader ran on an AMD CPU at patch level $LEVEL" "$LOG" "microcode: CPU0: patch_level=$LEVEL"
}
amd_boot early "$IMG"
t_grep "early: the kernel loaded our patch early" "$LOG" "microcode: microcode updated early to new patch_level=$LEVEL"

amd_boot noearly "$MAIN"
t_nogrep "noearly: without the early segment, no early update" "$LOG" 'microcode updated early'

"$LS" "$WORK/late-initrd.gz" >"$WORK/ls.late" 2>&1
t_check "late: the AMD file is there, in the one gzip segment" test "$(grep -c -e '^# segment' -e ' kernel/x86/microcode/AuthenticAMD.bin$' "$WORK/ls.late")" = 2
amd_boot late "$WORK/late-initrd.gz"
t_nogrep "late: in the compressed segment, no early update" "$LOG" 'microcode updated early'

t_exit
