# The check before a read-write mount (make initramfs FSCK=1): a clean
# root checked and mounted rw; real damage that e2fsck -p repairs, and
# damage it refuses (the failure policy, its output on the console) that
# fsck.repair=yes repairs, or e2fsck in the rescue shell; the retry after a
# root mounted read-write held no init; exit code 2 (a stand-in checker) rebooting;
# no check with ro, with fsck.mode=skip, or without a checker in the
# image; -f with fsck.mode=force; a checker that cannot start.
. tests/boot/lib.sh
only_on x86_64 -- "the image's checker is the host's e2fsck.static (Debian's e2fsck-static)"
t_need debugfs e2fsck musl-gcc || t_exit
FSCK_INITRD=$OUT/initramfs-fsck.cpio.gz
RESCUE_FSCK_INITRD=$OUT/initramfs-rescue-fsck.cpio.gz
for f in "$FSCK_INITRD" "$RESCUE_FSCK_INITRD"; do
	[ -f "$f" ] || { t_fail "fsck-inputs" "$f is missing: make FSCK=1 initramfs; make FSCK=1 RESCUE=busybox initramfs"; t_exit; }
done

# fsck_rc IMG: e2fsck's exit code for a forced read-only check on the host.
fsck_rc() {
	e2fsck -fn "$1" >"$1.fsck" 2>&1
	echo $?
}
# damage NAME DEBUGFS-COMMANDS: a copy of the sample root changed by
# debugfs, then marked not cleanly unmounted (state 0, as a crash leaves
# it) so that e2fsck -p checks it without -f; its path in DAMAGED.
damage() {
	DAMAGED=$(disk "$1")
	printf '%s\nssv state 0\n' "$2" | debugfs -w -f - "$DAMAGED" >"$WORK/$1.debugfs" 2>&1 ||
		t_fail "$1: debugfs" "$(tail -3 "$WORK/$1.debugfs")"
}
# not_mounted NAME: the boot stopped before the root was mounted.
not_mounted() {
	t_nogrep "$1: the root was not mounted" "$LOG" 'handoff: mounted /dev/vda|^rootfs: pid'
}
# checked NAME REPAIR: the init said it checks, with these options.
checked() {
	t_grep "$1: checked with e2fsck $2" "$LOG" "handoff: root: checking /dev/vda \(ext4\) with e2fsck $2 before mounting it read-write"
}

# (a) A clean root, rw: e2fsck -p runs (it opens the device O_EXCL while
# the init holds it open, without O_EXCL), says clean, and the boot goes on.
img=$(disk clean)
boot clean --initrd "$FSCK_INITRD" -- root=/dev/vda rw rd.debug
booted clean
checked clean '-p'
t_grep "clean: e2fsck's own output is on the console" "$LOG" '^handoff-root: clean, [0-9]+/[0-9]+ files'
t_grep "clean: the check is timed in the debug log" "$LOG" 'handoff: root: e2fsck took [0-9]+ ms'
t_nogrep "clean: e2fsck could open the device" "$LOG" 'busy|Device or resource|cannot start'
mounted clean /dev/vda / ext4 'rw[, ]'
t_check "clean: the disk is clean after the boot" test "$(fsck_rc "$img")" = 0

# (b) Real damage e2fsck -p fixes by itself: a free block marked in use.
damage preen 'setb 5000'
t_check "preen: the damage is real (e2fsck -fn on the host: 4)" test "$(fsck_rc "$DAMAGED")" = 4
boot preen --initrd "$FSCK_INITRD" --disk "$DAMAGED" -- root=/dev/vda rw
booted preen
checked preen '-p'
t_grep "preen: says the errors were corrected" "$LOG" 'handoff: root: e2fsck corrected errors on /dev/vda: going on'
mounted preen /dev/vda / ext4 'rw[, ]'
t_check "preen: the host finds the disk clean afterwards" test "$(fsck_rc "$DAMAGED")" = 0

# (c) Damage preen refuses (an extent pointing past the end of the disk):
# exit 4, the failure policy (panic=-1 here) with e2fsck's words on the
# console; then fsck.repair=yes repairs it and boots.
head -c 3000 /dev/urandom >"$WORK/victim"
damage refused "write $WORK/victim victim
sif victim block[5] 99999"
t_check "refused: the damage is real (e2fsck -fn on the host: 4)" test "$(fsck_rc "$DAMAGED")" = 4
boot refused --initrd "$FSCK_INITRD" --disk "$DAMAGED" -- root=/dev/vda rw panic=-1
no_panic refused
checked refused '-p'
t_grep "refused: e2fsck's output is on the console" "$LOG" '^handoff-root: UNEXPECTED INCONSISTENCY; RUN fsck MANUALLY'
t_grep "refused: names the device, the code and its meaning" "$LOG" 'handoff: root: e2fsck on /dev/vda \(root=/dev/vda\) exited with 4 \(errors left uncorrected\): not mounting it read-write'
t_grep "refused: says what the user can do" "$LOG" 'hint: repair it by hand in rd.shell .*fsck.repair=yes, or boot anyway with fsck.mode=skip'
t_grep "refused: the failure policy applies" "$LOG" 'handoff: boot failed: rebooting now \(panic=-1\)'
not_mounted refused
t_check "refused: still damaged (e2fsck -fn on the host: 4)" test "$(fsck_rc "$DAMAGED")" = 4
boot repair-yes --initrd "$FSCK_INITRD" --disk "$DAMAGED" -- root=/dev/vda rw fsck.repair=yes
booted repair-yes
checked repair-yes '-y'
t_grep "repair-yes: e2fsck answered yes" "$LOG" '^Clear\? yes'
t_grep "repair-yes: says the errors were corrected" "$LOG" 'handoff: root: e2fsck corrected errors on /dev/vda: going on'
mounted repair-yes /dev/vda / ext4 'rw[, ]'
t_check "repair-yes: the host finds the disk clean afterwards" test "$(fsck_rc "$DAMAGED")" = 0

# The hint followed: the same damage, rd.shell on an image with busybox
# and the checker; in the shell e2fsck -y /dev/vda repairs it by hand, and
# the retry (exit the shell) checks it clean and boots.
damage by-hand "write $WORK/victim victim
sif victim block[5] 99999"
# A shell that ends within a second counts as one without input (rescue.c):
# each session stays over a second by the guest's uptime.
OVER_A_SECOND='t=$(cut -d. -f1 /proc/uptime); while [ $(cut -d. -f1 /proc/uptime) -le $((t + 1)) ]; do :; done'
# in_shell NAME CMD BOOT-ARGS...: boots NAME with the rescue image; once its
# shell starts, CMD is typed there (its status shown as "@@ NAME rc=N"),
# then the shell exits and the boot is tried again.
in_shell() {
	SHELL_NAME=$1 SHELL_CMD=$2
	shift 2
	typed "$SHELL_NAME" type_and_exit --initrd "$RESCUE_FSCK_INITRD" --timeout 120 "$@"
}
type_and_exit() {
	wait_for "$RAW" 'starting a rescue shell' || exit 1
	printf '%s; %s; echo "@@ %s rc=$?"\n' "$OVER_A_SECOND" "$SHELL_CMD" "$SHELL_NAME" >&4
	wait_for "$RAW" "@@ $SHELL_NAME rc=[0-9]" || exit 1
	printf 'exit\n' >&4
}
in_shell by-hand 'e2fsck -y /dev/vda' --disk "$DAMAGED" -- root=/dev/vda rw rd.shell panic=-1
booted by-hand
t_grep "by-hand: the rescue shell was offered after the refusal" "$LOG" 'exited with 4 \(errors left uncorrected\)'
t_grep "by-hand: e2fsck -y in the shell repaired it" "$LOG" '^@@ by-hand rc=1$'
t_grep "by-hand: the retry checked it again" "$LOG" 'the rescue shell exited: trying the boot again'
t_check "by-hand: checked twice" test "$(grep -c 'handoff: root: checking /dev/vda (ext4) with e2fsck -p' "$LOG")" = 2
mounted by-hand /dev/vda / ext4 'rw[, ]'
t_check "by-hand: the host finds the disk clean afterwards" test "$(fsck_rc "$DAMAGED")" = 0

# A retry after a root mounted read-write held no init: the failed
# attempt's mount on /sysroot is let go before the check (e2fsck refuses a
# mounted filesystem). The root's init is moved aside by debugfs (a
# link made, the old name unlinked: consistent) and /bin/sh removed, so no
# init is found; in the shell both are linked back on the mounted root.
damage no-init 'ln /sbin/init /sbin/real-init
unlink /sbin/init
rm /bin/sh'
t_check "no-init: the moved init leaves a clean filesystem" test "$(fsck_rc "$DAMAGED")" = 0
in_shell no-init 'ln -s real-init /sysroot/sbin/init && ln -s busybox /sysroot/bin/sh' \
	--disk "$DAMAGED" -- root=/dev/vda rw rd.shell panic=-1
booted no-init
t_grep "no-init: the first attempt mounted it read-write" "$LOG" 'handoff: mounted /dev/vda on /sysroot as ext4 \(rw\)'
t_grep "no-init: the init was linked back in the shell" "$LOG" '^@@ no-init rc=0$'
t_check "no-init: checked on each attempt" test "$(grep -c 'handoff: root: checking /dev/vda' "$LOG")" = 2
t_nogrep "no-init: e2fsck did not find it mounted" "$LOG" 'is mounted|exited with 8'
mounted no-init /dev/vda / ext4 'rw[, ]'

# (d) Exit code 2. e2fsck returns it after changing a mounted root, which
# never happens before the mount: a STAND-IN checker that prints its
# arguments and exits 2 takes its place. The guest reboots (QEMU's
# -no-reboot ends it) without mounting the root.
cat >"$WORK/standin.c" <<'EOF'
#include <stdio.h>
int main(int argc, char **argv)
{
	printf("stand-in e2fsck:");
	for (int i = 1; i < argc; i++)
		printf(" %s", argv[i]);
	printf("\n");
	return 2;
}
EOF
musl-gcc -static -O2 -o "$WORK/standin" "$WORK/standin.c" >"$WORK/standin.log" 2>&1 ||
	t_fail "exit-2: the stand-in builds" "$(tail -3 "$WORK/standin.log")"
# standin_image FILE CHECKER: the plain image with CHECKER as /sbin/e2fsck.
standin_image() {
	printf 'dir /sbin 0755 0 0\nfile /sbin/e2fsck %s 0755 0 0\n' "$2" >"$WORK/standin.list"
	INIT=$OUT/init "$BUILD/host/mkcpio" -c gzip -o "$1" tools/initramfs.list "$WORK/standin.list" \
		>"$WORK/mkcpio.log" 2>&1 || t_fail "$SCENARIO: mkcpio $1" "$(tail -3 "$WORK/mkcpio.log")"
}
standin_image "$WORK/exit2.cpio.gz" "$WORK/standin"
boot exit-2 --initrd "$WORK/exit2.cpio.gz" -- root=/dev/vda rw
no_panic exit-2
t_check "exit-2: qemu ended by the guest's reboot" test "$BOOT_RC" = 0
t_grep "exit-2: the stand-in ran with -p and the device" "$LOG" '^stand-in e2fsck: -p /dev/vda$'
t_grep "exit-2: says why it reboots" "$LOG" 'handoff: root: e2fsck corrected errors on /dev/vda and asks for a reboot \(exit code 2\): rebooting now'
t_grep "exit-2: the kernel restarts" "$LOG" 'reboot: Restarting system'
not_mounted exit-2

# (e) ro, the default: no check (the real init checks), the disk untouched.
img=$(disk ro)
before=$(sha256sum <"$img")
boot ro --initrd "$FSCK_INITRD" --disk "$img" -- root=/dev/vda rd.debug
booted ro
t_nogrep "ro: no check" "$LOG" 'checking /dev/vda|e2fsck'
mounted ro /dev/vda / ext4 'ro[, ]'
unchanged "ro: the disk is byte-identical" "$img" "$before"

# (f) fsck.mode=skip with rw: no check.
boot skip --initrd "$FSCK_INITRD" -- root=/dev/vda rw fsck.mode=skip rd.debug
booted skip
t_nogrep "skip: no check" "$LOG" 'checking /dev/vda|e2fsck'
mounted skip /dev/vda / ext4 'rw[, ]'

# (g) fsck.mode=force: -f, so a clean filesystem is checked in full (its
# summary line without "clean,").
boot force --initrd "$FSCK_INITRD" -- root=/dev/vda rw fsck.mode=force
booted force
checked force '-p -f'
t_grep "force: e2fsck checked it in full" "$LOG" '^handoff-root: [0-9]+/[0-9]+ files \([0-9.]+% non-contiguous\)'
t_nogrep "force: not skipped as clean" "$LOG" '^handoff-root: clean,'
mounted force /dev/vda / ext4 'rw[, ]'

# (h) The plain image, rw: no checker, one debug line and nothing else.
boot no-checker -- root=/dev/vda rw rd.debug
booted no-checker
t_grep "no-checker: one debug line" "$LOG" 'handoff: root: no /sbin/e2fsck in the image \(make initramfs FSCK=1 adds it\): /dev/vda not checked'
t_nogrep "no-checker: nothing scary" "$LOG" 'checking /dev/vda|cannot start|e2fsck (on|took)'
mounted no-checker /dev/vda / ext4 'rw[, ]'

# A checker that cannot start (not a program: ENOEXEC) is said, and the
# boot goes on without the check.
printf 'not a program\n' >"$WORK/notexec"
standin_image "$WORK/notexec.cpio.gz" "$WORK/notexec"
boot cannot-start --initrd "$WORK/notexec.cpio.gz" -- root=/dev/vda rw
booted cannot-start
t_grep "cannot-start: says so, and goes on" "$LOG" 'handoff: root: cannot start /sbin/e2fsck: Exec format error; mounting /dev/vda without a check'
mounted cannot-start /dev/vda / ext4 'rw[, ]'

# /usr on its own filesystem is checked the same way before a read-write mount.
mkdir -p "$WORK/usrtree"
echo marker >"$WORK/usrtree/marker"
/sbin/mke2fs -q -t ext4 -L usr -d "$WORK/usrtree" "$WORK/usr.img" 16M
printf 'ssv state 0\n' | debugfs -w -f - "$WORK/usr.img" >/dev/null 2>&1
img=$(disk usr-root)
boot usr-rw --initrd "$FSCK_INITRD" --disk "$img" --disk "$WORK/usr.img" -- root=/dev/vda rw mount.usr=LABEL=usr
booted usr-rw
t_grep "usr-rw: /usr checked before its rw mount" "$LOG" \
	'handoff: /usr: checking /dev/vdb \(ext4\) with e2fsck -p before mounting it read-write'
mounted usr-rw /dev/vdb /usr ext4 'rw,.*'

t_exit
