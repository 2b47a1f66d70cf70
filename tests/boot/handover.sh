# What the real init inherits: the kernel's argv and environment, /dev,
# /proc, /sys and /run already mounted, and no trace of the initramfs,
# whose memory is given back. The real root's disk is not touched.
. tests/boot/lib.sh

img=$(disk args)
before=$(sha256sum <"$img")
boot args --disk "$img" -- root=/dev/vda FOO=bar single 'QUOTED="a b"' -- one two
booted args
t_grep "args: argv[0] is the init's path" "$LOG" '^rootfs: argv\[0\]=/sbin/init$'
t_grep "args: bare words reach argv" "$LOG" '^rootfs: argv\[1\]=single$'
t_grep "args: words after -- reach argv" "$LOG" '^rootfs: argv\[2\]=one$'
t_grep "args: in order" "$LOG" '^rootfs: argv\[3\]=two$'
t_nogrep "args: nothing more in argv" "$LOG" '^rootfs: argv\[4\]='
t_grep "args: HOME=/ from the kernel" "$LOG" '^rootfs: env HOME=/$'
t_grep "args: TERM=linux from the kernel" "$LOG" '^rootfs: env TERM=linux$'
t_grep "args: name=value reaches the environment" "$LOG" '^rootfs: env FOO=bar$'
t_grep "args: a quoted value keeps its space" "$LOG" '^rootfs: env QUOTED=a b$'
t_nogrep "args: root= stays with the kernel" "$LOG" '^rootfs: (env|argv\[[0-9]+\]=)root='
t_nogrep "args: no variables of our own" "$LOG" '^rootfs: env (PATH|PWD|SHLVL)='
t_nogrep "args: console=, a dotted name and rootfs.poweroff are not passed" "$LOG" '^rootfs: (env|argv\[[0-9]+\]=)(console|rootfs\.)'

mounted args devtmpfs /dev devtmpfs '.*'
mounted args proc /proc proc '.*'
mounted args sysfs /sys sysfs '.*'
mounted args tmpfs /run tmpfs '.*'
t_nogrep "args: nothing left mounted under an old path" "$LOG" '^rootfs: mount [^ ]+ /sysroot'
t_grep "args: the old initramfs is emptied" "$LOG" 'handoff: switched root by moving it onto /; freed [0-9]+ KiB of the initramfs \([0-9]+ files, [0-9]+ directories, 0 kept\)'
t_nogrep "args: the real root's / is not the initramfs" "$LOG" '^rootfs: ls / .*\b(init|sysroot)\b'
unchanged "args: a read-only boot leaves the disk byte-identical" "$img" "$before"
base_avail=$(sed -n 's/^rootfs: meminfo MemTotal=[0-9]* MemAvailable=\([0-9]*\).*/\1/p' "$LOG")

# 48 MiB in the initramfs: if it were not freed, the real root would
# have 48 MiB less available than the boot above.
dd if=/dev/zero of="$WORK/ballast" bs=1M count=48 status=none
printf 'file /ballast %s 0644 0 0\n' "$WORK/ballast" >"$WORK/extra.list"
INIT=$OUT/init "$BUILD/host/mkcpio" -c gzip -o "$WORK/big.cpio.gz" tools/initramfs.list "$WORK/extra.list"
boot ballast --initrd "$WORK/big.cpio.gz" --mem 256 -- root=/dev/vda
booted ballast
t_grep "ballast: reports the freed memory" "$LOG" 'freed (4[89]|[5-9][0-9])[0-9]{3} KiB of the initramfs'
big_avail=$(sed -n 's/^rootfs: meminfo MemTotal=[0-9]* MemAvailable=\([0-9]*\).*/\1/p' "$LOG")
if [ -n "$base_avail" ] && [ -n "$big_avail" ] && [ "$big_avail" -gt $((base_avail - 16384)) ]; then
	t_ok "ballast: memory given back ($big_avail kB available vs $base_avail kB without ballast)"
else
	t_fail "ballast: memory given back" "MemAvailable ${big_avail:-?} kB with 48 MiB ballast vs ${base_avail:-?} kB without"
fi

# rw: the filesystem may change (mount count), the files may not.
img=$(disk rw)
debugfs -R 'ls -p /' "$img" 2>/dev/null | sort >"$WORK/files.before"
boot rw --disk "$img" -- root=/dev/vda rw
booted rw
debugfs -R 'ls -p /' "$img" 2>/dev/null | sort >"$WORK/files.after"
if cmp -s "$WORK/files.before" "$WORK/files.after"; then t_ok "rw: the root's top directory is unchanged"
else t_fail "rw: the root's top directory is unchanged" "$(diff "$WORK/files.before" "$WORK/files.after" | head -5)"; fi
if e2fsck -fn "$img" >"$WORK/fsck.log" 2>&1; then t_ok "rw: the filesystem is clean after the boot"
else t_fail "rw: the filesystem is clean after the boot" "$(tail -3 "$WORK/fsck.log")"; fi

t_exit
