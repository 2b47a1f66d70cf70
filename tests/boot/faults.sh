# The fault matrix: each way the real root can be wrong gets its exact
# message, PID 1 stays alive, and the root disk is left as it was. The
# roots that are no disk have their fault cases beside their scenarios,
# with the same three checks (no panic, the panic= policy line, the
# medium unchanged): net.sh (a bad ip= field, ip=off, no NIC, a missing
# DEVICE, no link, no DHCP answer), nfs.sh (the server down, a wrong export
# over v3 and v4, no rpcbind, mountd's port wrong, a host name for an
# address, root=nfs: with no server), hostdir.sh (a wrong virtiofs or 9p
# tag, a kernel without virtiofs, the spine refusing) and flash.sh (a
# missing UBI volume, a missing MTD name, on block2mtd and on CFI flash).
. tests/boot/lib.sh
t_need mkfs.exfat debugfs || t_exit

# tree NAME: an empty tree to build a root filesystem from.
tree() {
	rm -rf "$WORK/$1"
	mkdir -p "$WORK/$1"
	echo "$WORK/$1"
}

# image NAME TREE: an ext4 image of TREE, made without root.
image() {
	mke2fs -q -t ext4 -d "$2" -E root_owner=0:0 "$WORK/$1.img" 16M >/dev/null 2>&1 ||
		t_fail "$1: mke2fs" "cannot make $WORK/$1.img"
	echo "$WORK/$1.img"
}

# fault NAME IMAGE -- APPEND: boots IMAGE expecting failure; checks PID 1
# survived and the image is byte-identical afterwards.
fault() {
	local name=$1 img=$2 sum
	shift 3
	sum=$(sha256sum <"$img")
	boot "$name" --disk "$img" -- panic=-1 "$@"
	no_panic "$name"
	t_grep "$name: PID 1 announced its policy" "$LOG" 'handoff: boot failed: rebooting now \(panic=-1\)'
	unchanged "$name: the disk is unchanged" "$img" "$sum"
}

# A root that never appears.
cp "$ROOTFS" "$WORK/never.img"
fault never "$WORK/never.img" -- root=/dev/vdz rootdelay=1
t_grep "never: names the device" "$LOG" 'root device /dev/vdz did not appear within 1 s'

# A corrupt filesystem: the group descriptors overwritten.
cp "$ROOTFS" "$WORK/corrupt.img"
yes corrupt | head -c 1024 | dd of="$WORK/corrupt.img" bs=1024 seek=2 count=1 conv=notrunc status=none
fault corrupt "$WORK/corrupt.img" -- root=/dev/vda
t_grep "corrupt: says ext4 refused it, with the errno" "$LOG" 'cannot mount root /dev/vda \(root=/dev/vda\): ext4: [A-Z][a-z]'

# A filesystem the kernel lacks: the probe knows it, the kernel does not.
truncate -s 16M "$WORK/exfat.img"
mkfs.exfat -n NOPE "$WORK/exfat.img" >/dev/null
fault no-driver "$WORK/exfat.img" -- root=/dev/vda
t_grep "no-driver: names the type and the errno" "$LOG" 'cannot mount root /dev/vda \(root=/dev/vda\): exfat: No such device'
t_grep "no-driver: lists what the kernel has" "$LOG" 'filesystems this kernel has: .*ext4'

# The real init missing, not executable, or a dangling symlink.
t=$(tree noinit)
mkdir -p "$t/etc" "$t/sbin"
fault init-missing "$(image noinit "$t")" -- root=/dev/vda
t_grep "init-missing: no usable init" "$LOG" 'no usable init in the new root \(/sysroot\):'
t_grep "init-missing: says why for /sbin/init" "$LOG" 'handoff:   /sbin/init: No such file or directory'
t_grep "init-missing: and for /bin/sh" "$LOG" 'handoff:   /bin/sh: No such file or directory'

t=$(tree noexec)
mkdir -p "$t/sbin"
printf '#!/bin/sh\necho never\n' >"$t/sbin/init"
chmod 644 "$t/sbin/init"
fault init-noexec "$(image noexec "$t")" -- root=/dev/vda
t_grep "init-noexec: not executable, with its mode" "$LOG" 'handoff:   /sbin/init: it is not executable \(mode 0644\)'

t=$(tree dangling)
mkdir -p "$t/sbin"
ln -s /lib/systemd/systemd "$t/sbin/init"
fault init-dangling "$(image dangling "$t")" -- root=/dev/vda
t_grep "init-dangling: the link leads nowhere" "$LOG" 'handoff:   /sbin/init: No such file or directory'

# A read-only root without /dev, /proc, /sys or /run: boots anyway.
t=$(tree bare)
mkdir -p "$t/bin"
cp "$(tools/busybox-for "$ARCH")" "$t/bin/busybox"
ln -s busybox "$t/bin/sh"
printf '#!/bin/sh\necho "bare: the real init ran as pid $$"\n/bin/busybox reboot -f\n' >"$t/bin/init"
chmod 755 "$t/bin/init"
img=$(image bare "$t")
sum=$(sha256sum <"$img")
boot bare --disk "$img" -- root=/dev/vda panic=-1
no_panic bare
for d in dev proc sys run; do
	t_grep "bare: /$d dropped with a reason" "$LOG" "handoff: /sysroot/$d is missing in the new root: unmounting /$d instead of moving it"
done
t_grep "bare: the real init ran" "$LOG" '^bare: the real init ran as pid 1'
unchanged "bare: the disk is unchanged" "$img" "$sum"

# init= naming something outside the new root is looked up inside it.
for arg in /init /../../init ../../../init; do
	n=outside-$(echo "$arg" | tr -c 'a-z' _)
	boot "$n" -- root=/dev/vda "init=$arg"
	booted "$n"
	t_grep "$n: init=$arg is not the initramfs's /init" "$LOG" "init=$(printf '%s' "$arg" | sed 's/[.]/\\./g') cannot be used: No such file or directory"
	t_grep "$n: fell back to /sbin/init" "$LOG" '^rootfs: argv\[0\]=/sbin/init$'
done

# A huge command line with odd quoting.
long=
# Dotted names are module options: the kernel keeps them from the real
# init, whose environment it limits to 32 entries.
for i in $(seq 45); do long="$long mod$i.opt=\"a b $i\" w.$i=x\"y\"z d$i.e"; done
if [ "$ARCH" = arm ]; then
	# arch/arm/include/uapi/asm/setup.h: COMMAND_LINE_SIZE 1024.
	echo "# skip long on arm: the 32-bit ARM kernel keeps only 1024 bytes of its command line"
else
boot long -- "$long" 'init="/sbin/init"' root=/dev/vda FOO=\"bar\" '"QUOTED=x y"'
booted long
t_grep "long: the quoted env value arrived" "$LOG" '^rootfs: env QUOTED=x y$'
[ ${#long} -gt 1500 ] && t_ok "long: the line was long (${#long} bytes before root=)" ||
	t_fail "long: the line was long" "only ${#long} bytes"
fi

# console=null: nothing on the serial line; the real root leaves a mark
# on its (read-write) disk, read back from the host.
with_hook "$WORK/null.img" 'echo "pid $(cut -d" " -f1 /proc/1/stat) ran" >/root/mark; sync'
BASE_APPEND="rootfs.poweroff"
boot console-null --disk "$WORK/null.img" -- console=null root=/dev/vda rw panic=-1
BASE_APPEND="console=$CONSOLE loglevel=8 rootfs.poweroff"
[ "$BOOT_RC" -eq 0 ] && t_ok "console-null: qemu ended by itself" ||
	t_fail "console-null: qemu ended by itself" "status $BOOT_RC"
mark=$(debugfs -R 'cat /root/mark' "$WORK/null.img" 2>/dev/null)
[ "$mark" = "pid 1 ran" ] && t_ok "console-null: the real init ran without a console" ||
	t_fail "console-null: the real init ran without a console" "mark: '$mark'"

t_exit
