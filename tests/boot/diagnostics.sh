# rd.debug: every step with its time, what was probed and decided, on
# every active console; the timings summary in /run for the real root.
. tests/boot/lib.sh

with_hook "$WORK/root.img" 'sed "s/^/timings: /" /run/handoff/timings'

# Two consoles of different drivers: a virtio console, hvc0 (a file), and
# the machine's serial console (stdout, /dev/console as the last console=).
cp "$WORK/root.img" "$WORK/debug.img"
boot debug --disk "$WORK/debug.img" --qemu -device --qemu virtio-serial-pci \
	--qemu -chardev --qemu "file,id=h0,path=$WORK/hvc0.log" \
	--qemu -device --qemu virtconsole,chardev=h0 \
	-- console=hvc0 console=$CONSOLE root=UUID=5e1f0c0d-7a6e-4d3b-9f00-68616e646f66 rd.debug
booted debug
tr -d '\r' <"$WORK/hvc0.log" >"$WORK/hvc0.txt" 2>/dev/null
for f in "$LOG" "$WORK/hvc0.txt"; do
	c=$CONSOLE
	[ "$f" = "$LOG" ] || c=hvc0
	t_grep "debug: steps with times on $c" "$f" 'handoff: step: device found at [0-9]+ ms since boot'
	t_grep "debug: what was probed, on $c" "$f" 'handoff: probed /dev/vda: TYPE=ext4 UUID=5e1f0c0d-7a6e-4d3b-9f00-68616e646f66 LABEL=handoff-root'
	t_grep "debug: what was decided, on $c" "$f" "handoff: root=UUID=5e1f0c0d-7a6e-4d3b-9f00-68616e646f66 is /dev/vda \\($VDA_MAJOR:0\\), type ext4"
	t_grep "debug: the summary, on $c" "$f" 'handoff: [0-9]+ ms in the initramfs: [0-9]+ setting up, [0-9]+ waiting for the device, [0-9]+ mounting'
done
for k in start setup wait mount check switch total api cmdline modules; do
	t_grep "debug: /run/handoff/timings has ${k}_ms" "$LOG" "^timings: ${k}_ms=[0-9]+$"
done

# Without rd.debug: no step lines, the summary file all the same.
cp "$WORK/root.img" "$WORK/quiet.img"
boot plain --disk "$WORK/quiet.img" -- root=/dev/vda
booted plain
t_nogrep "plain: no debug lines" "$LOG" 'handoff: (step:|probed )'
t_grep "plain: timings written anyway" "$LOG" '^timings: total_ms=[0-9]+$'

# quiet: informational lines stay in the kernel log, off the console.
cp "$WORK/root.img" "$WORK/q.img"
boot quiet --disk "$WORK/q.img" -- root=/dev/vda quiet
booted quiet
t_nogrep "quiet: no informational lines" "$LOG" 'handoff: (mounted|switched|starting)'

t_exit
