# Issue 20: handoff's Debian package (make deb) in a throw-away Debian 12
# root as Debian installs a cloud machine (tools/mkdebroot installroot: the
# cloud kernel, initramfs-tools and its image, systemd): installed offline
# with apt, it takes initramfs-tools' place and remakes the kernel's image;
# another kernel package installed gets an image from the kernel hook,
# which boots that kernel in QEMU with the root on ext4; removed, the
# kernel loses its image; update-initramfs, the dpkg trigger and systemd's
# kernel-install do what initramfs-tools' users expect; switching back to
# initramfs-tools works offline, and purging the package leaves none of
# its files. The root is not this machine: mode=generic in a conf.d file,
# as in any chroot or image build.
. tests/boot/lib.sh
only_on x86_64 -- "the package and Debian's amd64 kernels are x86_64"
t_need flock mmdebstrap dpkg-deb mke2fs zstd cpio unshare chroot || t_exit
t_match() { if grep -Eq "$3" <<<"$2"; then t_ok "$1"; else t_fail "$1" "got: $2"; fi; }
# Debian's generic kernel under TCG: no_timer_check as in distro.inc;
# panic=-1: a boot that fails ends at once.
T=180
NTC="no_timer_check panic=-1"
ROOT_UUID=0d3b1e5f-5953-4dae-9a6f-696e7374616c
MID=5e1f0c0d7a6e4d3b9f0068616e646f66

VERSION=$(sed -n 's/^VERSION := //p' Makefile)
DEB=$BUILD/handoff_${VERSION}_amd64.deb
# make deb builds the inits; one make in the tree at a time, as distro_image.
if ! flock "$OUT/.distro-image.lock" make -s deb >"$WORK/deb.log" 2>&1 || [ ! -f "$DEB" ]; then
	t_fail "$SCENARIO: make deb" "$(tail -3 "$WORK/deb.log")"
	t_exit
fi
# The package: what it declares; root's files; the same bytes when made again.
t_match "deb: Provides linux-initramfs-tool" "$(dpkg-deb -f "$DEB" Provides)" '^linux-initramfs-tool$'
t_match "deb: conflicts with initramfs-tools and dracut" "$(dpkg-deb -f "$DEB" Conflicts)" '^initramfs-tools, dracut(, |$)'
t_match "deb: the config is a conffile" "$(dpkg-deb --ctrl-tarfile "$DEB" | tar -xOf - ./conffiles)" '^/etc/handoff/handoff.conf$'
t_match "deb: every file is root's" "$(dpkg-deb -c "$DEB" | awk '$2 != "root/root"')" '^$'
cp "$DEB" "$WORK/first.deb"
if flock "$OUT/.distro-image.lock" make -s deb >"$WORK/deb2.log" 2>&1 && cmp -s "$DEB" "$WORK/first.deb"; then
	t_ok "deb: made again, byte for byte the same"
else
	t_fail "deb: made again, byte for byte the same" "$(tail -2 "$WORK/deb2.log") (diffoscope $WORK/first.deb $DEB)"
fi
if ! tools/mkdebroot installroot >"$WORK/root.path" 2>"$WORK/root.log"; then
	t_fail "$SCENARIO: tools/mkdebroot installroot" "$(tail -3 "$WORK/root.log")"
	t_exit
fi
{ read -r TAR; read -r DEBS; } <"$WORK/root.path"
KDEB=$(ls "$DEBS"/linux-image-*-amd64_*.deb 2>/dev/null | head -n 1)
ITDEB=$(ls "$DEBS"/initramfs-tools_*.deb 2>/dev/null | head -n 1)
if [ -z "$KDEB" ] || [ -z "$ITDEB" ]; then
	t_fail "$SCENARIO: the root's .debs" "no linux-image-*-amd64 or initramfs-tools .deb in $DEBS: remove $TAR to build both again"
	t_exit
fi
KDEB_NAME=$(basename "$KDEB")
KPKG=${KDEB_NAME%%_*}
K2=${KPKG#linux-image-}
R=$WORK/root
mkdir "$R"
tar -C "$R" --numeric-owner -xf "$TAR" || { t_fail "$SCENARIO: unpack $TAR" "tar failed"; t_exit; }
K1=$(ls "$R/usr/lib/modules")
echo "$MID" >"$R/etc/machine-id"
# A throw-away root: dpkg need not sync every file it writes.
echo force-unsafe-io >"$R/etc/dpkg/dpkg.cfg.d/unsafe-io"
cp "$DEB" "$R/tmp/handoff.deb"
cp "$KDEB" "$ITDEB" "$R/tmp/"

# inroot CMD...: CMD in the root, with no network (a namespace of its own
# with no interface up: whatever apt wants must already be there) and
# /proc, /sys and /dev/pts mounted in a mount namespace of its own, so they
# go with it whatever happens: there is nothing to unmount afterwards.
inroot() {
	unshare --net --mount --propagation private sh -c 'r=$1; shift
		mount -t proc proc "$r/proc" && mount -t sysfs sysfs "$r/sys" &&
		mount -t devpts -o newinstance,ptmxmode=0666 devpts "$r/dev/pts" &&
		exec chroot "$r" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C \
			DEBIAN_FRONTEND=noninteractive "$@"' sh "$R" "$@"
}

# step NAME CMD...: CMD in the root passes (exit 0); its output in $OUTLOG.
step() {
	local name=$1
	shift
	OUTLOG=$WORK/step-$(printf '%s' "$name" | tr -c 'A-Za-z0-9' '-').log
	if inroot "$@" >"$OUTLOG" 2>&1; then t_ok "$name"; else
		t_fail "$name" "$* exited with status $?: $(tail -3 "$OUTLOG" | tr '\n' ' ')"
	fi
}

# status PKG: dpkg's status of PKG ("install ok installed", ...).
status() {
	inroot dpkg-query -W -f='${Status}' "$1" 2>/dev/null
}

# init_of IMG: the /init of a zstd image.
init_of() {
	zstd -dc "$1" 2>/dev/null | cpio -i --quiet --to-stdout init 2>/dev/null
}

# ours NAME IMG: IMG is handoff's, generic: its /init is the package's
# init-all, byte for byte.
ours() {
	if [ ! -f "$2" ]; then
		t_fail "$1" "${2#"$R"} is missing"
	elif init_of "$2" | cmp -s - "$R/usr/lib/handoff/init-all"; then
		t_ok "$1"
	else
		t_fail "$1" "${2#"$R"}'s /init is not /usr/lib/handoff/init-all"
	fi
}

# theirs NAME IMG: IMG is initramfs-tools' (its /init is a shell script).
theirs() {
	if [ "$(init_of "$2" | head -c 9)" = '#!/bin/sh' ]; then t_ok "$1"; else
		t_fail "$1" "${2#"$R"}'s /init is not initramfs-tools' shell script"
	fi
}

# once NAME FILE PATTERN: exactly one line of FILE matches.
once() {
	local n
	n=$(grep -Ec -- "$3" "$2")
	if [ "$n" = 1 ]; then t_ok "$1"; else t_fail "$1" "$n lines matching /$3/ in $2"; fi
}

gone() {
	if [ -e "$2" ] || [ -L "$2" ]; then t_fail "$1" "${2#"$R"} is still there"; else t_ok "$1"; fi
}

# Installed in place of initramfs-tools: the kernel's image remade, the
# previous one kept as .old. In a chroot the machine is not the system:
# generic images, set before the package's postinst makes them.
mkdir -p "$R/etc/handoff/conf.d"
echo mode=generic >"$R/etc/handoff/conf.d/chroot.conf"
step "apt-get install ./handoff.deb offline" apt-get install -y /tmp/handoff.deb
t_grep "install: it took initramfs-tools' place" "$OUTLOG" '^Removing initramfs-tools '
t_match "install: initramfs-tools removed" "$(status initramfs-tools)" 'deinstall ok config-files'
t_match "install: handoff installed" "$(status handoff)" '^install ok installed$'
ours "install: the postinst remade $K1's image, handoff's" "$R/boot/initrd.img-$K1"
theirs "install: initramfs-tools' image kept as its .old" "$R/boot/initrd.img-$K1.old"
inroot dpkg -L handoff | while read -r f; do
	[ -d "$R$f" ] || echo "$f"
done >"$WORK/files"
t_grep "install: the package has update-initramfs" "$WORK/files" '^/usr/sbin/update-initramfs$'
t_grep "install: the package has the kernel hooks" "$WORK/files" '^/etc/kernel/postrm.d/zz-handoff$'

# initramfs-tools removed, not purged, leaves its kernel hooks, which call
# update-initramfs, ours now; then ours does not make the image again.
step "leftover initramfs-tools hook: run-parts postinst.d" \
	env DEB_MAINT_PARAMS=configure run-parts --arg="$K1" --arg="/boot/vmlinuz-$K1" /etc/kernel/postinst.d
once "leftover initramfs-tools hook: the image made once" "$OUTLOG" "^update-initramfs: Generating /boot/initrd.img-$K1\$"
step "dpkg --purge initramfs-tools (its leftover hooks go)" dpkg --purge initramfs-tools

# Another package's update-initramfs -u: the trigger, processed once by
# handoff's postinst.
step "trigger: update-initramfs -u from a maintainer script" env DPKG_MAINTSCRIPT_PACKAGE=zstd update-initramfs -u
t_grep "trigger: deferred" "$OUTLOG" '^update-initramfs: deferring update \(trigger activated\)$'
t_match "trigger: handoff has it pending" "$(status handoff)" 'triggers-pending'
step "trigger: dpkg --triggers-only -a" dpkg --triggers-only -a
t_grep "trigger: processed by handoff's postinst" "$OUTLOG" "^update-initramfs: Generating /boot/initrd.img-$K1\$"
t_match "trigger: handoff installed again" "$(status handoff)" '^install ok installed$'

# Another kernel: the kernel package's hook makes its image (ours alone
# now), then the boot loaders' hooks run (systemd-boot's is one).
mkdir -p "$R/etc/initramfs/post-update.d"
printf '#!/bin/sh\necho "$1 $2" >>/var/tmp/post-update.log\n' >"$R/etc/initramfs/post-update.d/record"
chmod 755 "$R/etc/initramfs/post-update.d/record"
step "dpkg -i $KDEB_NAME" dpkg -i "/tmp/$KDEB_NAME"
once "kernel hook: $K2's image made once" "$OUTLOG" "^update-initramfs: Generating /boot/initrd.img-$K2\$"
t_grep "kernel hook: the boot loaders' hooks ran" "$R/var/tmp/post-update.log" "^$K2 /boot/initrd.img-$K2\$"
ours "kernel hook: $K2's image is handoff's" "$R/boot/initrd.img-$K2"

# It boots: that kernel, its image, the root on ext4 by UUID; a script as
# init says which kernel and root, then powers off.
cat >"$R/usr/local/sbin/install-mark" <<'EOF'
#!/bin/sh
mount -t proc proc /proc
echo "install-mark: kernel $(uname -r)"
echo "install-mark: root $(awk '$2 == "/" { r = $1 " " $3 } END { print r }' /proc/mounts)"
echo o >/proc/sysrq-trigger
sleep 30
EOF
chmod 755 "$R/usr/local/sbin/install-mark"
cp "$R/boot/vmlinuz-$K2" "$R/boot/initrd.img-$K2" "$WORK/"
if mke2fs -q -F -t ext4 -U "$ROOT_UUID" -d "$R" "$WORK/root.img" "$(($(du -sm "$R" | cut -f1) * 6 / 5 + 64))M" >"$WORK/mke2fs.log" 2>&1; then
	boot boot-"$K2" --kernel "$WORK/vmlinuz-$K2" --initrd "$WORK/initrd.img-$K2" --disk "$WORK/root.img" \
		--mem 512 --timeout $T -- $NTC root=UUID=$ROOT_UUID init=/usr/local/sbin/install-mark
	if [ "$BOOT_RC" -eq 0 ]; then t_ok "boot: qemu exited by itself"; else
		t_fail "boot: qemu exited by itself" "status $BOOT_RC (124: timeout); log $LOGS/serial-$LOGTAG-boot-$K2.log"
	fi
	t_grep "boot: handoff's init switched root" "$LOG" 'handoff: switched root'
	t_grep "boot: the kernel is $K2" "$LOG" "^install-mark: kernel $K2\$"
	t_grep "boot: / is the ext4 disk" "$LOG" '^install-mark: root /dev/vda ext4$'
	no_panic boot
else
	t_fail "boot: the root's ext4 image" "mke2fs -d failed: $(tail -2 "$WORK/mke2fs.log")"
fi
rm -f "$WORK/root.img"

# update-initramfs as initramfs-tools has it: -u alone takes the newest
# kernel with an image (sort -V, as linux-version sorts: -cloud- after the
# generic flavour of one ABI); -u -k keeps the previous image as .old.
step "update-initramfs -u" update-initramfs -u
t_grep "update-initramfs -u: the newest kernel's ($K1)" "$OUTLOG" "^update-initramfs: Generating /boot/initrd.img-$K1\$"
t_nogrep "update-initramfs -u: only that one" "$OUTLOG" "Generating /boot/initrd.img-$K2"
inode=$(stat -c %i "$R/boot/initrd.img-$K2")
step "update-initramfs -u -k $K2" update-initramfs -u -k "$K2"
if [ "$(stat -c %i "$R/boot/initrd.img-$K2.old" 2>/dev/null)" = "$inode" ]; then
	t_ok "update-initramfs -u -k: the previous image is the .old"
else
	t_fail "update-initramfs -u -k: the previous image is the .old" "initrd.img-$K2.old is missing or another file"
fi
inroot update-initramfs -k "$K1" >"$WORK/usage.log" 2>&1
rc=$?
if [ "$rc" = 2 ] && grep -q 'one of -c, -u or -d' "$WORK/usage.log"; then t_ok "update-initramfs: no mode is a usage error"; else
	t_fail "update-initramfs: no mode is a usage error" "status $rc: $(head -2 "$WORK/usage.log")"
fi

# The kernel removed: its image and the .old go, the other kernel's stay.
step "dpkg --purge $KPKG" dpkg --purge "$KPKG"
gone "kernel removed: its image is gone" "$R/boot/initrd.img-$K2"
gone "kernel removed: its .old is gone" "$R/boot/initrd.img-$K2.old"
ours "kernel removed: $K1's image stays" "$R/boot/initrd.img-$K1"

step "update-initramfs -d -k $K1" update-initramfs -d -k "$K1"
gone "update-initramfs -d: the image is gone" "$R/boot/initrd.img-$K1"
gone "update-initramfs -d: its .old is gone" "$R/boot/initrd.img-$K1.old"

# systemd's kernel-install with a Boot Loader Specification layout
# ($BOOT=/efi, the machine id's directory there): the entry gets one image,
# handoff's, whether /boot has one (Debian's 85-initrd.install links it
# under the same name) or not (the plugin's own); none from the plugin
# when install.conf's generator is another.
mkdir -p "$R/efi/loader/entries" "$R/efi/$MID"
echo "root=UUID=$ROOT_UUID ro" >"$R/etc/kernel/cmdline"
ENTRY=$R/efi/loader/entries/$MID-$K1.conf
# entry NAME: the entry names one initrd, which is in its directory and ours.
entry() {
	local n
	n=$(grep -c '^initrd ' "$ENTRY" 2>/dev/null)
	if [ "$n" = 1 ] && grep -q "^initrd  *.*/$MID/$K1/initrd.img-$K1\$" "$ENTRY"; then t_ok "$1: the entry names one image"; else
		t_fail "$1: the entry names one image" "$n initrd lines in ${ENTRY#"$R"}: $(grep '^initrd' "$ENTRY" 2>/dev/null | tr '\n' ' ')"
	fi
	n=$(ls "$R/efi/$MID/$K1" | grep -c '^initrd')
	if [ "$n" = 1 ]; then t_ok "$1: one image in the entry's directory"; else
		t_fail "$1: one image in the entry's directory" "$n: $(ls "$R/efi/$MID/$K1" | tr '\n' ' ')"
	fi
	ours "$1: it is handoff's" "$R/efi/$MID/$K1/initrd.img-$K1"
}
# between two adds, the entry goes by hand: kernel-install remove would also
# remove the kernel's modules.dep (50-depmod.install), as for a kernel
# that goes.
unentry() {
	rm -rf "$R/efi/$MID/$K1" "$ENTRY"
}
step "kernel-install add, no image in /boot" kernel-install add "$K1" "/boot/vmlinuz-$K1"
entry "kernel-install, no image in /boot"
unentry
# install.conf's initrd_generator= (kernel-install takes it from there only).
echo initrd_generator=dracut >"$R/etc/kernel/install.conf"
step "kernel-install add, another generator" kernel-install add "$K1" "/boot/vmlinuz-$K1"
t_nogrep "kernel-install, another generator: no image of ours" "$ENTRY" '^initrd'
rm -f "$R/etc/kernel/install.conf"
unentry
step "update-initramfs -c -k $K1" update-initramfs -c -k "$K1"
ours "update-initramfs -c: the image is handoff's" "$R/boot/initrd.img-$K1"
step "kernel-install add, the image in /boot" kernel-install add "$K1" "/boot/vmlinuz-$K1"
entry "kernel-install, the image in /boot"
step "kernel-install remove" kernel-install remove "$K1"
gone "kernel-install remove: the entry is gone" "$ENTRY"
gone "kernel-install remove: its directory is gone" "$R/efi/$MID/$K1"
step "depmod $K1 (the index kernel-install remove took)" depmod "$K1"

# Switching back, offline: initramfs-tools' .deb of the version that was
# installed; apt removes handoff (its conffiles, the kernel hooks among
# them, stay until a purge, and do nothing).
step "switch back: apt-get install ./initramfs-tools.deb" apt-get install -y "/tmp/$(basename "$ITDEB")"
t_match "switch back: handoff removed" "$(status handoff)" 'deinstall ok config-files'
t_match "switch back: initramfs-tools installed" "$(status initramfs-tools)" '^install ok installed$'
t_match "switch back: update-initramfs is initramfs-tools'" "$(inroot dpkg-query -S /usr/sbin/update-initramfs 2>&1)" '^initramfs-tools: '
theirs "switch back: $K1's image is initramfs-tools'" "$R/boot/initrd.img-$K1"
sum=$(sha256sum <"$R/boot/initrd.img-$K1")
step "switch back: handoff's leftover kernel hook" env DEB_MAINT_PARAMS=configure /etc/kernel/postinst.d/zz-handoff "$K1" "/boot/vmlinuz-$K1"
unchanged "switch back: the leftover hook does nothing" "$R/boot/initrd.img-$K1" "$sum"

# Purged: none of the package's files (but update-initramfs, initramfs-
# tools' now), no /etc/handoff, no .old images.
step "dpkg --purge handoff" dpkg --purge handoff
left=$(while read -r f; do
	[ ! -e "$R$f" ] && [ ! -L "$R$f" ] || inroot dpkg-query -S "$f" >/dev/null 2>&1 || echo "$f"
done <"$WORK/files")
if [ -s "$WORK/files" ] && [ -z "$left" ]; then t_ok "purge: none of the package's files left"; else
	t_fail "purge: none of the package's files left" "$(echo $left)"
fi
gone "purge: /etc/handoff is gone" "$R/etc/handoff"
left=$(ls "$R/boot" | grep '\.old$')
if [ -z "$left" ]; then t_ok "purge: no .old image left"; else t_fail "purge: no .old image left" "$(echo $left)"; fi
t_match "purge: handoff is gone from dpkg" "$(status handoff)" '^unknown ok not-installed$|^$'

t_exit
