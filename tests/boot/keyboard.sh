# The field's most common broken image: no keyboard at the passphrase
# prompt. A PC with no PS/2 controller (i8042=off) and a USB keyboard that
# is plugged in only once the prompt is up (QMP device_add usb-kbd), the
# passphrase then typed on it (QMP send-key), on Debian's generic kernel
# (usbhid and hid_generic are modules there) with the image
# handoff-mkinitramfs --generic makes. The prompt must load the keyboard's
# drivers while it waits (it serves the uevents), or the keys go nowhere
# and the boot never unlocks. The container is the sample root encrypted on
# the host by cryptsetup.
. tests/boot/lib.sh
only_on x86_64 -- "Debian's linux-image-amd64 is an x86_64 kernel"
t_need cryptsetup socat || t_exit
export PATH=$PATH:/sbin:/usr/sbin
. tests/boot/layers.inc	# qmp
# The newest generic Debian kernel (not -cloud-: it has no USB HID at all).
DKVER=$(find /lib/modules -mindepth 1 -maxdepth 1 -name '*-amd64' ! -name '*-cloud-amd64' -printf '%f\n' 2>/dev/null | sort -V | tail -1)
DKERNEL=/boot/vmlinuz-$DKVER
if [ -z "$DKVER" ] || [ ! -r "$DKERNEL" ]; then
	t_fail "$SCENARIO-kernel" "no readable /boot/vmlinuz-*-amd64 (not -cloud-) with its /lib/modules: install linux-image-amd64 (tools/install-deps)"
	t_exit
fi
# Letters only: QMP's send-key types each as a key of a US layout.
PASS=handoffkbdtest

img=$WORK/luks.img
truncate -s 40M "$img"
dd if="$ROOTFS" of="$img" conv=notrunc status=none
if ! printf '%s' "$PASS" | cryptsetup reencrypt --encrypt --type luks2 --reduce-device-size 16M \
	--batch-mode --key-file - --pbkdf pbkdf2 --pbkdf-force-iterations 1000 "$img" >"$WORK/cs.log" 2>&1; then
	t_fail "$SCENARIO: cryptsetup reencrypt --encrypt" "$(tail -3 "$WORK/cs.log")"
	t_exit
fi
U=$(cryptsetup luksUUID "$img")

initrd=$WORK/generic.img
# What the command takes from the tree: the init with every feature, the tools.
if ! flock "$OUT/.distro-image.lock" make -s LAYERS=1 STORAGE=1 NET=1 FLASH=1 all \
	"$BUILD/host/mkcpio" "$BUILD/host/handoff-modules" "$BUILD/host/handoff-lsinitramfs" >"$WORK/make.log" 2>&1; then
	t_fail "$SCENARIO: make the init with every feature and the host tools" "$(tail -3 "$WORK/make.log")"
	t_exit
fi
if ! flock "$OUT/.distro-image.lock" tools/handoff-mkinitramfs -k "$DKVER" --generic -o "$initrd" \
	>"$WORK/gen.log" 2>&1; then
	t_fail "$SCENARIO: handoff-mkinitramfs --generic" "$(tail -3 "$WORK/gen.log")"
	t_exit
fi
"$BUILD/host/handoff-lsinitramfs" "$initrd" >"$WORK/list" 2>&1
t_grep "the generic image has the USB keyboard's drivers" "$WORK/list" '/usbhid\.ko$'
t_grep "the generic image has the HID keyboard driver" "$WORK/list" '/hid-generic\.ko$'

sock=$WORK/kbd.qmp
keys() {
	local s=$1 c cmds=()
	while [ -n "$s" ]; do
		c=${s:0:1}
		s=${s:1}
		cmds+=("{\"execute\":\"send-key\",\"arguments\":{\"keys\":[{\"type\":\"qcode\",\"data\":\"$c\"}]}}")
	done
	cmds+=('{"execute":"send-key","arguments":{"keys":[{"type":"qcode","data":"ret"}]}}')
	qmp "$sock" "${cmds[@]}"
}
(
	wait_for "$WORK/kbd.raw" 'Passphrase for LUKS container' || exit 1
	# Nothing can type yet: the machine has no keyboard at all.
	qmp "$sock" '{"execute":"device_add","arguments":{"driver":"usb-kbd","id":"kbd","bus":"xhci.0"}}'
	# The keyboard's input device, once its drivers are loaded.
	wait_for "$WORK/kbd.raw" 'input: QEMU QEMU USB Keyboard' || exit 1
	sleep 1
	keys "$PASS"
) &
# tty0 is a console too, for the keyboard (the prompt asks on every one);
# ttyS0 stays /dev/console (the last console=), the log the checks read.
BASE_APPEND="console=tty0 $BASE_APPEND"
boot kbd --kernel "$DKERNEL" --initrd "$initrd" --disk "$img" --qmp "$sock" --timeout 180 \
	--qemu -machine --qemu i8042=off --qemu -device --qemu qemu-xhci,id=xhci --qemu -device --qemu VGA -- \
	rd.luks.uuid="$U" root=UUID=5e1f0c0d-7a6e-4d3b-9f00-68616e646f66 no_timer_check panic=-1
wait
booted kbd
t_grep "kbd: the prompt was up before the keyboard came" "$LOG" "Passphrase for LUKS container UUID=$U"
# The order in the log: the prompt, then usbhid loaded (no udev here: only
# the init loads modules) and the keyboard driven, then the unlock.
awk -v p="Passphrase for LUKS container" '
	index($0, p) && !prompt { prompt = NR }
	/usbcore: registered new interface driver usbhid/ && prompt && !hid { hid = NR }
	/hid-generic .*Keyboard/ && hid && !kbd { kbd = NR }
	/unlocked with a passphrase/ && kbd && !unl { unl = NR }
	END { exit !(prompt && hid && kbd && unl) }' "$LOG" &&
	t_ok "kbd: usbhid loaded while the prompt waited, then unlocked with what was typed on it" ||
	t_fail "kbd: usbhid loaded while the prompt waited" "$(grep -E 'Passphrase for|interface driver usbhid|hid-generic|unlocked with' "$LOG" | head -8)"
mounted kbd /dev/dm-0 / ext4 'ro[,0-9a-z]*'
t_nogrep "kbd: the passphrase never shows" "$LOG" "$PASS"
t_exit
