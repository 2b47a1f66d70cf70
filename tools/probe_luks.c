/*
 * handoff-probe luks FILE: a LUKS header as the init reads it (never a key).
 * handoff-probe luks-open FILE: the passphrase (one line on stdin) tried on
 * its keyslots by the init's code; prints which keyslot opened and how long
 * it took, never the key. Exit: 0 opened (or read), 2 no keyslot opens
 * with it, 1 an error.
 */
#include "probe_luks.h"
#include "luks/luks.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct luks_volume vol;	/* large: keep off the stack */

static int open_read(const char *name)
{
	int fd = open(name, O_RDONLY | O_CLOEXEC), e;

	if (fd < 0) {
		fprintf(stderr, "handoff-probe: %s: %s\n", name, strerror(errno));
		return -1;
	}
	e = luks_read(fd, false, &vol);
	if (e) {
		fprintf(stderr, "handoff-probe: %s: %s (%s)\n", name, vol.why, strerror(-e));
		close(fd);
		return -1;
	}
	if (vol.secondary)
		fprintf(stderr, "handoff-probe: %s: %s; using the secondary header\n", name,
			vol.primary_why);
	return fd;
}

int probe_luks_show(const char *name)
{
	int fd = open_read(name), i;

	if (fd < 0)
		return 1;
	close(fd);
	printf("LUKS_VERSION=%d\nUUID=%s\n", vol.version, vol.uuid);
	if (vol.version == 2)
		printf("LABEL=%s\nSUBSYSTEM=%s\nHEADER_SIZE=%llu\nSEQID=%llu\nHEADER=%s\n", vol.label,
		       vol.subsystem, (unsigned long long)vol.hdr_size,
		       (unsigned long long)vol.seqid, vol.secondary ? "secondary" : "primary");
	printf("CIPHER=%s\nKEY_SIZE=%u\nSECTOR_SIZE=%u\nDATA_OFFSET=%llu\n", vol.cipher,
	       vol.key_size * 8, vol.sector_size, (unsigned long long)vol.offset);
	if (vol.dynamic)
		printf("DATA_SIZE=dynamic\n");
	else
		printf("DATA_SIZE=%llu\n", (unsigned long long)vol.size);
	if (vol.iv_tweak)
		printf("IV_TWEAK=%llu\n", (unsigned long long)vol.iv_tweak);
	for (i = 0; i < LUKS_SLOTS; i++) {
		const struct luks_keyslot *s = &vol.slot[i];

		if (!s->used)
			continue;
		printf("KEYSLOT_%d=%s", i, luks_kdf_name(s->kdf));
		if (s->kdf == LUKS_KDF_PBKDF2)
			printf(" hash=%s iterations=%u", s->kdf_hash == HASH_SHA1 ? "sha1" :
			       s->kdf_hash == HASH_SHA256 ? "sha256" : "sha512", s->iterations);
		else
			printf(" time=%u memory=%u cpus=%u", s->iterations, s->memory, s->cpus);
		printf(" area=%s/%u priority=%u\n", s->cipher, s->area_key_size * 8, s->priority);
	}
	return 0;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int probe_luks_open(const char *name)
{
	char pass[512];
	uint8_t key[LUKS_KEY_MAX];
	struct luks_unlocked how;
	size_t len = 0, keylen;
	double t0, t1;
	ssize_t n;
	int fd, e;

	/* One line, as cryptsetup reads a passphrase from a stdin that is not a terminal. */
	while (len < sizeof(pass)) {
		n = read(0, pass + len, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || pass[len] == '\n')
			break;
		len++;
	}
	if (len == sizeof(pass)) {
		fprintf(stderr, "handoff-probe: %s: the passphrase is longer than %zu bytes\n", name,
			sizeof(pass) - 1);
		secret_wipe(pass, sizeof(pass));
		return 1;
	}
	fd = open_read(name);
	if (fd < 0) {
		secret_wipe(pass, sizeof(pass));
		return 1;
	}
	t0 = now_ms();
	e = luks_unlock(fd, &vol, pass, len, key, &keylen, &how);
	t1 = now_ms();
	close(fd);
	secret_wipe(pass, sizeof(pass));
	secret_wipe(key, sizeof(key));
	if (e == -EPERM) {
		fprintf(stderr, "handoff-probe: %s: %s\n", name, vol.why);
		printf("OPENED=no\nTIME_MS=%.1f\n", t1 - t0);
		return 2;
	}
	if (e) {
		fprintf(stderr, "handoff-probe: %s: %s (%s)\n", name, vol.why, strerror(-e));
		return 1;
	}
	printf("OPENED=yes\nKEYSLOT=%d\nKEYSLOT_CIPHER_BY=%s\nTIME_MS=%.1f\n", how.slot,
	       how.kernel_cipher ? "kernel" : "built-in", t1 - t0);
	return 0;
}
