#!/bin/bash
# handoff-modules on a described machine (HANDOFF_SYSFS, HANDOFF_MOUNTINFO,
# a fake modules directory): the root on virtio with its filesystem a
# module, a PS/2 keyboard on i8042 and a USB HID keyboard beside a power
# button and a mouse; MODULES=host takes the keyboards' drivers; -R says
# why each module is there; -F puts the firmware the modules name in the
# image (plain, .xz, .zst) and names what is missing; -C checks the image
# against the machine (exit 3, each miss with its fix, nothing listed).
. tests/lib.sh
BUILD=${BUILD:-build}
TOOL=$BUILD/host/handoff-modules
t_need xz zstd cpio || t_exit
make -s "$TOOL" "$BUILD/host/mkcpio" >/dev/null 2>&1 || { t_fail "build $TOOL" "make failed"; t_exit; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The modules directory: a .ko is its .modinfo's fields, NUL-separated.
M=$tmp/lib/modules/9.9.9-test
mkdir -p "$M/kernel"
fake() {	# fake NAME [FIELD...]
	local name=$1
	shift
	{
		printf 'ELF\0license=GPL\0'
		for f in "$@"; do printf '%s\0' "$f"; done
		printf 'vermagic=9.9.9-test SMP mod_unload \0name=%s\0' "$name"
	} >"$M/kernel/$name.ko"
}
for m in virtio virtio_pci virtio_blk libcrc32c xfs libps2 atkbd psmouse usbcore xhci_hcd \
	hid usbhid hid_generic hid_apple evdev button hyperv_keyboard dm_mod dm_crypt; do
	fake $m
done
fake xhci_pci firmware=renesas_usb_fw.mem
fake fwmod firmware=vendor/a.bin firmware=vendor/b.bin firmware=c.bin firmware=iwlwifi-x.ucode \
	firmware=../escape.bin
cat >"$M/modules.dep" <<'EOF'
kernel/virtio.ko:
kernel/virtio_pci.ko: kernel/virtio.ko
kernel/virtio_blk.ko: kernel/virtio.ko
kernel/libcrc32c.ko:
kernel/xfs.ko: kernel/libcrc32c.ko
kernel/libps2.ko:
kernel/atkbd.ko: kernel/libps2.ko
kernel/psmouse.ko: kernel/libps2.ko
kernel/usbcore.ko:
kernel/xhci_hcd.ko: kernel/usbcore.ko
kernel/xhci_pci.ko: kernel/xhci_hcd.ko kernel/usbcore.ko
kernel/hid.ko:
kernel/usbhid.ko: kernel/hid.ko kernel/usbcore.ko
kernel/hid_generic.ko: kernel/hid.ko
kernel/hid_apple.ko: kernel/hid.ko
kernel/evdev.ko:
kernel/button.ko:
kernel/hyperv_keyboard.ko:
kernel/fwmod.ko:
kernel/dm_mod.ko:
kernel/dm_crypt.ko: kernel/dm_mod.ko
EOF
cat >"$M/modules.alias" <<'EOF'
alias pci:v00001AF4d00001042sv*sd*bc*sc*i* virtio_pci
alias virtio:d00000002v* virtio_blk
alias fs-xfs xfs
alias serio:ty06pr*id*ex* atkbd
alias serio:ty01pr*id*ex* psmouse
alias pci:v*d*sv*sd*bc0Csc03i30* xhci_pci
alias usb:v*p*d*dc*dsc*dp*ic03isc*ip*in* usbhid
alias hid:b*g0001v*p* hid_generic
alias hid:b0003g*v000005ACp* hid_apple
alias input:b*v*p*e*-e*k*r*a*m*l*s*f*w* evdev
alias acpi:LNXPWRBN:* button
alias platform:i8042 i8042
EOF
printf 'kernel/drivers/input/serio/i8042.ko\nkernel/fs/ext4/ext4.ko\n' >"$M/modules.builtin"
printf 'i8042.alias=platform:i8042\0ext4.alias=fs-ext4\0' >"$M/modules.builtin.modinfo"

# The machine. dev DIR MODALIAS [DRIVER [MODULE]]: a device, its driver
# bound (bus/.../drivers/DRIVER), with a module link unless built in.
S=$tmp/sys
D=$S/devices
mkdir -p "$S/dev/block" "$S/class/input" "$S/module"
dev() {
	mkdir -p "$1"
	[ -z "$2" ] || echo "$2" >"$1/modalias"
	[ -n "${3:-}" ] || return 0
	mkdir -p "$S/bus/any/drivers/$3"
	ln -sfn "$S/bus/any/drivers/$3" "$1/driver"
	[ -z "${4:-}" ] || { mkdir -p "$S/module/$4" && ln -sfn "$S/module/$4" "$S/bus/any/drivers/$3/module"; }
}
input() {	# input DIR NAME EV KEY: an input device, in class/input as inputN
	mkdir -p "$1/capabilities"
	echo "$2" >"$1/name"
	echo "$3" >"$1/capabilities/ev"
	echo "$4" >"$1/capabilities/key"
	echo 'input:b0011v0001p0001eAB41-e0,1,4,11,14,k71,72,' >"$1/modalias"
	ln -s "$1" "$S/class/input/${1##*/}"
}
# The root: a virtio disk on PCI.
dev "$D/pci0000:00"
dev "$D/pci0000:00/0000:00:02.0" pci:v00001AF4d00001042sv00001AF4sd00001042bc01sc80i00 virtio-pci virtio_pci
dev "$D/pci0000:00/0000:00:02.0/virtio1" virtio:d00000002v00001AF4 virtio_blk virtio_blk
mkdir -p "$D/pci0000:00/0000:00:02.0/virtio1/block/vda"
ln -s ../../devices/pci0000:00/0000:00:02.0/virtio1/block/vda "$S/dev/block/254:0"
# A PS/2 keyboard and mouse on i8042 (built in: no module link).
KBD_KEYS='402000000 3803078f800d001 feffffdfffefffff fffffffffffffffe'
dev "$D/platform/i8042" platform:i8042 i8042
dev "$D/platform/i8042/serio0" serio:ty06pr00id00ex00 atkbd atkbd
input "$D/platform/i8042/serio0/input/input0" 'AT Translated Set 2 keyboard' 120013 "$KBD_KEYS"
mkdir -p "$D/platform/i8042/serio0/input/input0/event0"
ln -s "$D/platform/i8042/serio0/input/input0/event0" "$S/class/input/event0"
dev "$D/platform/i8042/serio1" serio:ty01pr00id00ex00 psmouse psmouse
input "$D/platform/i8042/serio1/input/input1" 'ImExPS/2 Generic Explorer Mouse' 17 '1f0000 0 0 0 0'
# A power button: keys, not a keyboard's.
dev "$D/LNXSYSTM:00/LNXPWRBN:00" acpi:LNXPWRBN: button button
input "$D/LNXSYSTM:00/LNXPWRBN:00/input/input2" 'Power Button' 3 '10000000000000 0'
# A USB keyboard: the controller's driver is xhci_hcd, its module xhci_pci.
usb=$D/pci0000:00/0000:00:14.0
dev "$usb" pci:v00008086d0000A36Dsv00001028sd0000085Cbc0Csc03i30 xhci_hcd xhci_pci
dev "$usb/usb1" '' usb
dev "$usb/usb1/1-1" '' usb
dev "$usb/usb1/1-1/1-1:1.0" usb:v046DpC31Cd6400dc00dsc00dp00ic03isc01ip01in00 usbhid usbhid
dev "$usb/usb1/1-1/1-1:1.0/0003:046D:C31C.0001" hid:b0003g0001v0000046Dp0000C31C hid-generic hid_generic
input "$usb/usb1/1-1/1-1:1.0/0003:046D:C31C.0001/input/input5" 'Logitech USB Keyboard' 120013 "$KBD_KEYS"

mi() { printf '1 0 0:2 / / rw - rootfs rootfs rw\n22 1 254:0 / / rw,relatime - %s /dev/vda rw\n' "$1" >"$tmp/mountinfo"; }
mi xfs
FW=$tmp/firmware
mkdir -p "$FW/vendor"
echo renesas >"$FW/renesas_usb_fw.mem"
echo a-blob >"$FW/vendor/a.bin"
echo b-blob >"$tmp/b.bin" && xz -c "$tmp/b.bin" >"$FW/vendor/b.bin.xz"
echo c-blob >"$tmp/c.bin" && zstd -q -c "$tmp/c.bin" >"$FW/c.bin.zst"
run() {
	HANDOFF_SYSFS=$S HANDOFF_MOUNTINFO=$tmp/mountinfo HANDOFF_FIRMWARE=$FW \
		"$TOOL" -d "$M" -o "$tmp/stage" "$@" >"$tmp/list" 2>"$tmp/err"
}
mods() { sed -n 's|^file /lib/modules/9.9.9-test/kernel/\([^ ]*\)\.ko .*|\1|p' "$tmp/list" | tr '\n' ' '; }
reason() { awk -F'\t' -v m="$1" '$1 == "module" && $2 == m { print $3 }' "$tmp/reasons"; }

# MODULES=host: the root's drivers and filesystem, then the keyboards', bus first.
run -m host -R "$tmp/reasons"
rc=$?
want='virtio virtio_pci virtio_blk libcrc32c xfs libps2 atkbd usbcore xhci_hcd xhci_pci hid usbhid hid_generic '
[ $rc = 0 ] && [ "$(mods)" = "$want" ] && t_ok "host: the root's and the keyboards' drivers ($(mods))" ||
	t_fail "host: the root's and the keyboards' drivers" "status $rc, modules: $(mods); $(cat "$tmp/err")"
t_nogrep "host: a mouse and a power button are no keyboards (psmouse, button left out)" "$tmp/list" '/(psmouse|button)\.ko '
t_nogrep "host: the input device's own handlers are not taken (evdev)" "$tmp/list" '/evdev\.ko '
t_grep "host: says which keyboards" "$tmp/err" "MODULES=host: a keyboard, AT Translated Set 2 keyboard, at $D/platform/i8042/serio0/input/input0$"
t_grep "host: says why a keyboard's driver is taken" "$tmp/err" "MODULES=host: atkbd for the keyboard AT Translated Set 2 keyboard: serio:ty06pr00id00ex00 at $D/platform/i8042/serio0$"
t_grep "host: the USB keyboard's chain: usbhid for its interface" "$tmp/err" "MODULES=host: usbhid for the keyboard Logitech USB Keyboard: usb:v046DpC31C.* at $usb/usb1/1-1/1-1:1.0$"
t_nogrep "host: a keyboard driver built in (i8042) is not listed" "$tmp/list" '/i8042\.ko ' 
[ "$(reason virtio_pci)" = "the root's device driver (pci:v00001AF4d00001042sv00001AF4sd00001042bc01sc80i00 at $D/pci0000:00/0000:00:02.0)" ] &&
	t_ok "-R: the root's device driver, with its modalias and device" || t_fail "-R: the root's device driver" "$(reason virtio_pci)"
[ "$(reason xfs)" = "the root's filesystem (fs-xfs)" ] && t_ok "-R: the root's filesystem (fs-xfs)" || t_fail "-R: the root's filesystem" "$(reason xfs)"
[ "$(reason virtio)" = "a dependency of virtio_pci" ] && [ "$(reason libcrc32c)" = "a dependency of xfs" ] &&
	t_ok "-R: dependencies name their module" || t_fail "-R: dependencies name their module" "$(reason virtio); $(reason libcrc32c)"
[ "$(reason atkbd)" = "the console's keyboard (AT Translated Set 2 keyboard)" ] &&
	[ "$(reason usbhid)" = "the console's keyboard (Logitech USB Keyboard)" ] &&
	[ "$(reason xhci_pci)" = "the console's keyboard (Logitech USB Keyboard)" ] &&
	t_ok "-R: the console's keyboard (NAME), its bus's drivers too" ||
	t_fail "-R: the console's keyboard" "atkbd: $(reason atkbd); usbhid: $(reason usbhid); xhci_pci: $(reason xhci_pci)"
[ "$(grep -c '^module	' "$tmp/reasons")" = "$(grep -c '^file /lib/modules/.*\.ko ' "$tmp/list")" ] &&
	t_ok "-R: a line for every module listed" || t_fail "-R: a line for every module listed" "$(cat "$tmp/reasons")"
cp "$tmp/list" "$tmp/list.R"
run -m host
cmp -s "$tmp/list" "$tmp/list.R" && t_ok "-R changes nothing in the list" || t_fail "-R changes nothing in the list" "$(diff "$tmp/list" "$tmp/list.R")"
t_nogrep "without -F, no firmware in the list" "$tmp/list" '/lib/firmware'

# host,+a,-b: host's set changed (what the command's --host-only --modules gives).
run -m host,+fwmod,-atkbd,-xfs -C
[ $? = 3 ] && t_ok "host,-NAME: -C refuses an image without a driver this machine uses" || t_fail "host,-NAME: -C refuses" "$(cat "$tmp/err")"
t_grep "host,-NAME: a module host would take is left out, said so" "$tmp/err" \
	"MODULES=host: atkbd for serio:ty06pr00id00ex00 at $D/platform/i8042/serio0: left out, as -atkbd says$"
t_grep "host,-NAME: the check then names it" "$tmp/err" 'check: .* is driven by atkbd here, and the image has no atkbd: add it with --modules \+atkbd$'
t_grep "host,-NAME: the root's filesystem too" "$tmp/err" 'check: / is xfs .*--modules \+xfs$'
run -m host,+fwmod,-atkbd
[ $? = 0 ] && [ "$(mods)" = "virtio virtio_pci virtio_blk libcrc32c xfs usbcore xhci_hcd xhci_pci hid usbhid hid_generic fwmod " ] &&
	t_ok "host,+NAME,-NAME: host's set with NAME added and NAME removed ($(mods))" ||
	t_fail "host,+NAME,-NAME" "modules: $(mods); $(cat "$tmp/err")"
run -m host,+fwmod,other
[ $? = 1 ] && t_grep "host,+NAME,NAME: still a mix, refused" "$tmp/err" 'mix of signed and unsigned names' ||
	t_fail "host,+NAME,NAME is refused" "$(cat "$tmp/err")"

# Other reasons: the default set, named, soft dependencies, LUKS.
printf 'softdep xfs pre: evdev\n' >"$M/modules.softdep"
run -m +fwmod -L -R "$tmp/reasons"
rm "$M/modules.softdep"
[ "$(reason virtio_blk)" = "the default set" ] && [ "$(reason fwmod)" = "named in --modules" ] &&
	[ "$(reason evdev)" = "a soft dependency of xfs" ] && [ "$(reason dm_crypt)" = "a LUKS root" ] &&
	t_ok "-R: the default set, named in --modules, a soft dependency of NAME, a LUKS root" ||
	t_fail "-R: the default set, named, soft dependencies" "$(cat "$tmp/reasons") $(cat "$tmp/err")"
# The default set has the keyboards' drivers; the HID ones only with usbhid (a transport).
for m in atkbd usbhid hyperv_keyboard hid_generic hid_apple; do
	t_grep "the default set has the keyboard driver $m" "$tmp/list" "/$m\.ko "
done
t_nogrep "the default set takes no built-in driver (i8042)" "$tmp/list" '/i8042\.ko '
sed -i '/usbhid/d' "$M/modules.dep"
run -m ''
t_nogrep "without usbhid, no HID keyboard driver in the default set" "$tmp/list" '/hid_(generic|apple)\.ko '
echo 'kernel/usbhid.ko: kernel/hid.ko kernel/usbcore.ko' >>"$M/modules.dep"

# -F: the firmware the modules name, as /lib/firmware/NAME; .xz and .zst decompressed.
run -m host,fwmod -F '' -R "$tmp/reasons"
rc=$?
[ $rc = 0 ] && t_ok "-F: accepted" || t_fail "-F: accepted" "status $rc: $(cat "$tmp/err")"
t_grep "-F: a plain file from the firmware directory" "$tmp/list" "^file /lib/firmware/vendor/a\.bin $FW/vendor/a\.bin 0644 0 0$"
t_grep "-F: the firmware of a keyboard's driver" "$tmp/list" "^file /lib/firmware/renesas_usb_fw\.mem $FW/renesas_usb_fw\.mem 0644 0 0$"
t_grep "-F: NAME.xz goes in as NAME, decompressed" "$tmp/list" "^file /lib/firmware/vendor/b\.bin $tmp/stage/firmware/vendor/b\.bin 0644 0 0$"
t_grep "-F: NAME.zst goes in as NAME, decompressed" "$tmp/list" "^file /lib/firmware/c\.bin $tmp/stage/firmware/c\.bin 0644 0 0$"
cmp -s "$tmp/stage/firmware/vendor/b.bin" "$tmp/b.bin" && cmp -s "$tmp/stage/firmware/c.bin" "$tmp/c.bin" &&
	t_ok "-F: the staged files are the decompressed firmware" || t_fail "-F: decompressed firmware" "staged files differ"
line() { grep -n -m1 -- "$1" "$tmp/list" | cut -d: -f1; }
[ "$(line /lib/firmware)" = "$(line '^dir /lib/firmware 0755 0 0$')" ] &&
	[ "$(line '^dir /lib/firmware/vendor 0755 0 0$')" -lt "$(line '^file /lib/firmware/vendor/')" ] &&
	t_ok "-F: the directories before their files" || t_fail "-F: the directories before their files" "$(grep firmware "$tmp/list")"
t_grep "-F: a missing file is a warning naming the module and the package" "$tmp/err" \
	"warning: module fwmod names firmware not in $FW \(nor \.xz, \.zst\): iwlwifi-x\.ucode: install the package that has it \(Debian: firmware-iwlwifi\)"
t_grep "-F: a name out of /lib/firmware is refused" "$tmp/err" 'module fwmod names the firmware "\.\./escape\.bin": not a path below /lib/firmware, left out'
t_nogrep "-F: nothing outside /lib/firmware" "$tmp/list" 'escape'
t_grep "-R: firmware PATH for module NAME" "$tmp/reasons" '^firmware	/lib/firmware/vendor/b\.bin	for module fwmod$'
t_grep "-R: missing-firmware PATH for module NAME" "$tmp/reasons" '^missing-firmware	/lib/firmware/iwlwifi-x\.ucode	for module fwmod$'
if BUSYBOX=/bin/busybox INIT=/bin/true "$BUILD/host/mkcpio" -c none -o "$tmp/img.cpio" "$tmp/list" 2>"$tmp/mkcpio.err" &&
	[ "$(cd "$tmp" && mkdir -p x && cd x && cpio -id --quiet lib/firmware/vendor/b.bin <../img.cpio && cat lib/firmware/vendor/b.bin)" = b-blob ]; then
	t_ok "-F: mkcpio takes the list; the image holds the firmware"
else t_fail "-F: mkcpio takes the list" "$(cat "$tmp/mkcpio.err")"; fi
run -m host -F "$tmp/nofw"
t_grep "-F DIR: that directory, not HANDOFF_FIRMWARE" "$tmp/err" "module xhci_pci names firmware not in $tmp/nofw .*renesas_usb_fw\.mem: install the package that has it \(Debian: apt-file search renesas_usb_fw\.mem"

# -C: the image against the machine.
run -m host -C -F ''
rc=$?
[ $rc = 0 ] && [ -s "$tmp/list" ] && t_ok "-C: a host-only image with its firmware passes" || t_fail "-C: a host-only image passes" "status $rc: $(cat "$tmp/err")"
t_grep "-C: says what it checked" "$tmp/err" 'check: the image has the root.s filesystem \(xfs\) and the drivers of the 6 devices bound under the root and the keyboards'
run -m virtio_pci,virtio_blk,xfs -C -F ''
rc=$?
[ $rc = 3 ] && t_ok "-C: an image without the keyboards' drivers: status 3" || t_fail "-C: without the keyboards' drivers: status 3" "status $rc: $(cat "$tmp/err")"
[ ! -s "$tmp/list" ] && t_ok "-C: refused: nothing on standard output" || t_fail "-C: refused: nothing on standard output" "$(head -3 "$tmp/list")"
t_grep "-C: names the keyboard, its device, the module and the fix" "$tmp/err" \
	"check: the keyboard AT Translated Set 2 keyboard's device $D/platform/i8042/serio0 is driven by atkbd here, and the image has no atkbd: add it with --modules \+atkbd$"
t_grep "-C: the module of a driver named otherwise (xhci_hcd is xhci_pci's)" "$tmp/err" 'is driven by xhci_pci here, and the image has no xhci_pci: add it with --modules \+xhci_pci$'
for m in usbhid hid_generic; do
	t_grep "-C: the USB keyboard needs $m" "$tmp/err" "Logitech USB Keyboard's device .* is driven by $m here.*--modules \+$m$"
done
t_nogrep "-C: a built-in driver is no miss (i8042)" "$tmp/err" 'driven by i8042'
t_nogrep "-C: a mouse's and a power button's drivers are not asked for" "$tmp/err" 'psmouse|driven by button'
t_grep "-C: counts the misses" "$tmp/err" 'check: 4 misses: this image would not boot this machine; nothing listed$'
run -m virtio_pci,virtio_blk,atkbd,xhci_pci,usbhid,hid_generic -C -F '' -R "$tmp/reasons"
rc=$?
[ $rc = 3 ] && t_grep "-C: a root filesystem left out: named, with the fix" "$tmp/err" \
	'check: / is xfs \(/dev/vda in the mount table\), and the image has no module for it \(fs-xfs\): add it with --modules \+xfs$' ||
	t_fail "-C: a root filesystem left out" "status $rc: $(cat "$tmp/err")"
t_grep "-C: -R is written even when refused" "$tmp/reasons" '^module	atkbd	named in --modules$'
run -m virtio_pci,virtio_blk,atkbd,xhci_pci,usbhid,hid_generic,xfs -C -F ''
[ $? = 0 ] && t_ok "-C: with xfs it passes" || t_fail "-C: with xfs it passes" "$(cat "$tmp/err")"
mi ext4
run -m virtio_pci,virtio_blk,atkbd,xhci_pci,usbhid,hid_generic -C -F ''
[ $? = 0 ] && t_ok "-C: a filesystem built into the kernel (ext4) needs no module" || t_fail "-C: a built-in filesystem" "$(cat "$tmp/err")"
mi btrfs
run -m virtio_pci,virtio_blk,atkbd,xhci_pci,usbhid,hid_generic -C -F ''
[ $? = 3 ] && t_grep "-C: a filesystem the kernel has no module for: said so" "$tmp/err" \
	'/ is btrfs .*, and 9\.9\.9-test has no module for it \(fs-btrfs\) nor has it built in: this kernel cannot mount the root' ||
	t_fail "-C: a filesystem the kernel lacks" "$(cat "$tmp/err")"
mi xfs
run -m host -C
[ $? = 3 ] && t_grep "-C without -F: a bound driver's firmware is not in the image" "$tmp/err" \
	"the keyboard Logitech USB Keyboard's device $usb is driven by xhci_pci, which needs firmware \(renesas_usb_fw\.mem\): put it in the image with -F$" ||
	t_fail "-C without -F: firmware" "$(cat "$tmp/err")"
mv "$FW/renesas_usb_fw.mem" "$tmp/"
run -m host -C -F ''
[ $? = 3 ] && t_grep "-C: a bound driver's firmware missing: named, with what to install" "$tmp/err" \
	"driven by xhci_pci, which needs firmware \(renesas_usb_fw\.mem\) that $FW lacks: install the package" ||
	t_fail "-C: missing firmware" "$(cat "$tmp/err")"
mv "$tmp/renesas_usb_fw.mem" "$FW/"
# A driver built into the running kernel (no module link) that the image's kernel has as a module.
rm "$S/bus/any/drivers/virtio_blk/module"
run -m virtio_pci,xfs,atkbd,xhci_pci,usbhid,hid_generic -C -F ''
[ $? = 3 ] && t_grep "-C: a driver built in here but a module there: by the driver's name" "$tmp/err" \
	"the root's device $D/pci0000:00/0000:00:02.0/virtio1 is driven by virtio_blk here, and the image has no virtio_blk" ||
	t_fail "-C: a built-in driver here, a module there" "$(cat "$tmp/err")"
# A driver the image's kernel has neither as a module nor built in.
mkdir "$S/module/nosuchdrv"
ln -sfn "$S/module/nosuchdrv" "$S/bus/any/drivers/virtio_blk/module"
run -m host -C -F ''
[ $? = 3 ] && t_grep "-C: a driver the image's kernel lacks: cannot drive it" "$tmp/err" \
	'driven by nosuchdrv here, which 9\.9\.9-test has neither as a module nor built in: this kernel cannot drive it' ||
	t_fail "-C: a driver the kernel lacks" "$(cat "$tmp/err")"
ln -sfn "$S/module/virtio_blk" "$S/bus/any/drivers/virtio_blk/module"
# A root whose disks cannot be told (not on a block device): its filesystem is still checked.
printf '22 1 0:30 / / rw - xfs tank/root rw\n' >"$tmp/mountinfo"
run -m '' -C -F ''
[ $? = 0 ] && t_grep "-C: a root not on a block device: a warning, the rest checked" "$tmp/err" \
	'check: warning: the drivers under / cannot be told \(see above\): only its filesystem and the keyboards are checked' ||
	t_fail "-C: a root not on a block device" "$(cat "$tmp/err")"
run -m -xfs -C -F ''
[ $? = 3 ] && t_grep "-C: a root not on a block device: its filesystem still checked" "$tmp/err" 'check: / is xfs \(tank/root in the mount table\).*--modules \+xfs$' ||
	t_fail "-C: a root not on a block device: its filesystem" "$(cat "$tmp/err")"
printf '30 22 0:40 / /mnt rw - tmpfs tmpfs rw\n' >"$tmp/mountinfo"
run -m '' -C
[ $? = 3 ] && t_grep "-C: a mount table without / is a miss" "$tmp/err" "check: cannot tell what this machine's root is" ||
	t_fail "-C: a mount table without /" "$(cat "$tmp/err")"
mi xfs
# A virtual keyboard (uinput): nothing to take, said so; the check passes.
input "$D/virtual/input/input9" 'ydotoold virtual device' 120013 "$KBD_KEYS"
run -m host -C -F ''
[ $? = 0 ] && t_grep "host: a virtual keyboard has no driver to take, said so" "$tmp/err" \
	"no module matches the devices of the keyboard ydotoold virtual device: a virtual one" ||
	t_fail "host: a virtual keyboard" "$(cat "$tmp/err")"
rm "$S/class/input/input9"
# No keyboard at all (a server): no error, said.
mv "$S/class/input" "$S/class/input.away"
run -m host -C -F ''
[ $? = 0 ] && t_grep "host: no keyboard is said, not an error" "$tmp/err" "MODULES=host: no keyboard in $S/class/input: no keyboard driver taken" ||
	t_fail "host: no keyboard" "$(cat "$tmp/err")"
t_nogrep "host: no keyboard: none of their drivers" "$tmp/list" '/(atkbd|usbhid)\.ko '
mv "$S/class/input.away" "$S/class/input"
t_exit
