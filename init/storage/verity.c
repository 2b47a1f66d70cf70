/*
 * The verity stage: the root's data and hash devices, the hash device's
 * superblock (dm/verity.c), the tree's root checked against roothash=
 * here (the kernel would find a wrong one only on the first read), then
 * a read-only "verity" mapping /dev/mapper/root, as systemd names it.
 */
#include "storage/storage.h"
#include "base/log.h"
#include "base/util.h"
#include "dm/dm.h"
#include "dm/verity.h"
#include "plan/plan.h"
#include "shutdown/shutdown.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <unistd.h>

#define VERITY_NAME "root"

/*
 * The parameter that named the data device, for messages (plan.c's rule):
 * systemd.verity_root_data=, root=, or the PARTUUID roothash= gives.
 */
static const char *data_param(const struct boot_params *p, const struct assembly *a)
{
	if (p->verity_data)
		return "systemd.verity_root_data";
	if (str_starts(a->source, "PARTUUID=") && hex_same(a->source + 9, p->roothash, 8))
		return "roothash";
	return "root";
}

static int wait_for(struct boot_plan *plan, const char *purpose, const char *param,
		    const char *value, struct root_spec *spec, struct root_dev *out)
{
	const struct boot_params *p = &plan->params;
	struct device_req r;
	const char *why = NULL;
	int e;

	if (rootspec_parse(value, spec, &why) || !rootspec_is_block(spec->kind)) {
		err("%s=%s: %s", param, value, why ? why : "must name a block device");
		return -EINVAL;
	}
	r = (struct device_req){ purpose, param, value, spec, p->wait, p->wait_s, false };
	e = wait_for_device(&r, &plan->events, out);
	if (!e && out->fd < 0) {
		out->fd = open(out->node, O_RDONLY | O_CLOEXEC);
		if (out->fd < 0) {
			e = -errno;
			err("cannot open %s device %s (%s=%s): %s", purpose, out->node, param, value,
			    errtext(e));
		}
	}
	return e;
}

/* len bytes at off, all of them; says what failed. */
static int read_at(const struct root_dev *d, const char *what, void *buf, size_t len,
		   uint64_t off)
{
	ssize_t n = pread(d->fd, buf, len, (off_t)off);

	if (n == (ssize_t)len)
		return 0;
	err("cannot read the %s from %s at byte %llu: %s", what, d->node, (unsigned long long)off,
	    n < 0 ? errtext(errno) : "the device ends before it");
	return n < 0 ? -errno : -EIO;
}

static uint64_t device_size(const struct root_dev *d)
{
	uint64_t bytes = 0;

	return ioctl(d->fd, BLKGETSIZE64, &bytes) ? 0 : bytes;
}

/* The options, the superblock (or the options alone), and the sizes: c is what to map. */
static int read_layout(const struct assembly *a, const char *hparam, struct verity_conf *c,
		       const struct root_dev *data, const struct root_dev *hash)
{
	static uint8_t sb[VERITY_SB_SIZE];
	uint64_t dsize = device_size(data), need;
	const char *why;
	int e;

	if (c->superblock) {
		e = read_at(hash, "verity superblock", sb, sizeof(sb), c->hash_offset);
		if (e)
			return e;
		if (verity_sb_parse(sb, sizeof(sb), c, &why)) {
			err("%s=%s: %s %s at byte %llu", hparam, a->keydev, hash->node, why,
			    (unsigned long long)c->hash_offset);
			err("hint: name the device veritysetup format wrote the hash tree to, and its hash-offset= in systemd.verity_root_options=");
			return -EINVAL;
		}
	} else if (!c->data_blocks) {
		c->data_blocks = dsize / c->data_block_size;
	}
	need = c->data_blocks * c->data_block_size;
	if (!c->data_blocks || dsize < need) {
		err("verity data device %s has %llu bytes, less than the %llu data blocks of %u bytes the %s says",
		    data->node, (unsigned long long)dsize, (unsigned long long)c->data_blocks,
		    c->data_block_size, c->superblock ? "superblock" : "options");
		err("hint: check systemd.verity_root_data= (or root=) names the data device the hash tree was made for");
		return -EINVAL;
	}
	if (data->major == hash->major && data->minor == hash->minor &&
	    c->hash_offset < need) {
		err("verity data and hash are both on %s, but hash-offset=%llu lies inside the %llu bytes of data",
		    data->node, (unsigned long long)c->hash_offset, (unsigned long long)need);
		err("hint: give the hash-offset= veritysetup format was given (--hash-offset)");
		return -EINVAL;
	}
	return 0;
}

/* The tree's top block hashed with the salt must be roothash=. */
static int check_root_hash(const struct boot_params *p, const struct verity_conf *c,
			   const struct root_dev *hash, uint64_t hash_start)
{
	/* Large (up to 64 KiB): kept off the stack. */
	static uint8_t block[VERITY_BLOCK_MAX];
	uint8_t want[VERITY_DIGEST_MAX], got[VERITY_DIGEST_MAX];
	char hex[2 * VERITY_DIGEST_MAX + 1];
	int len = verity_digest_len(c), n = verity_unhex(p->roothash, want, sizeof(want)), e;

	if (len < 0) {
		err("verity hash %s: handoff checks roothash= itself and knows sha1, sha256 and sha512",
		    c->alg);
		return -EOPNOTSUPP;
	}
	if (n != len) {
		err("roothash=%s: not a %s digest (%d hex digits)", p->roothash, c->alg, 2 * len);
		return -EINVAL;
	}
	e = read_at(hash, "verity hash tree's top block", block, c->hash_block_size,
		    hash_start * c->hash_block_size);
	if (e)
		return e;
	verity_root_digest(c, block, got);
	if (!memcmp(want, got, (size_t)len))
		return 0;
	dm_hex(hex, got, (size_t)len);
	err("roothash=%s does not match the verity hash tree on %s", p->roothash, hash->node);
	err("the tree's root hash is %s: refusing to boot a root that is not the one roothash= names",
	    hex);
	err("hint: give the root hash veritysetup format printed for this image, or name the right devices");
	return -EKEYREJECTED;
}

static int map_root(const struct verity_conf *c, const struct root_dev *data,
		    const struct root_dev *hash, uint64_t hash_start, const uint8_t *digest,
		    int len)
{
	char dpath[24], hpath[24], uuid[64], params[DM_PARAMS_MAX];
	struct verity_table v = { c->format, dpath, hpath, c->data_block_size,
				  c->hash_block_size, c->data_blocks, hash_start, c->alg,
				  digest, (size_t)len, c->salt, c->salt_len, c->flags };
	struct dm_target t = { 0, c->data_blocks * (c->data_block_size / 512), "verity", params };
	struct dm_device out;
	int e;

	fmt_buf(dpath, sizeof(dpath), "%u:%u", data->major, data->minor);
	fmt_buf(hpath, sizeof(hpath), "%u:%u", hash->major, hash->minor);
	/* cryptsetup's naming: CRYPT-VERITY-<uuid without dashes>-<name>. */
	str_copy(uuid, "CRYPT-VERITY-", sizeof(uuid));
	dm_hex(uuid + strlen(uuid), c->uuid, sizeof(c->uuid));
	str_append(uuid, "-" VERITY_NAME, sizeof(uuid));
	e = dm_verity_params(params, sizeof(params), &v);
	if (e) {
		err("cannot write the verity table for %s and %s: %s", data->node, hash->node,
		    errtext(e));
		return e;
	}
	/* A retry after a rescue shell finds the last try's mapping: ours, unused, replaced. */
	dm_remove(VERITY_NAME);
	e = dm_create(VERITY_NAME, c->superblock ? uuid : NULL, &t, 1, true, &out);
	if (!e)
		return 0;
	err("cannot map the verity root /dev/mapper/%s over %s and %s: %s", VERITY_NAME,
	    data->node, hash->node, errtext(e));
	if (e == -ENODEV)
		err("hint: the kernel has no device-mapper (/dev/mapper/control): build it with CONFIG_DM_VERITY, or put dm_mod and dm_verity in the image (rd.modules=dm_verity)");
	else if (e == -EINVAL || e == -ENOENT)
		err("hint: the kernel's message above says why; a kernel without dm-verity or the %s hash refuses the table",
		    c->alg);
	else if (e == -EBUSY || e == -EEXIST)
		err("hint: /dev/mapper/%s is already taken, or another user holds %s", VERITY_NAME,
		    data->node);
	return e;
}

int verify_root(struct boot_plan *plan, const struct assembly *a)
{
	static struct verity_conf c;
	const struct boot_params *p = &plan->params;
	const char *dparam = data_param(p, a), *why;
	const char *hparam = p->verity_hash ? "systemd.verity_root_hash" : "roothash";
	struct root_dev data = { .fd = -1 }, hash = { .fd = -1 };
	struct root_spec dspec, hspec;
	uint8_t digest[VERITY_DIGEST_MAX];
	uint64_t hash_start;
	char bad[64];
	int e, len;

	verity_conf_init(&c);
	e = verity_options_parse(a->options, &c, bad, sizeof(bad), &why);
	if (e) {
		err("systemd.verity_root_options=%s: %s %s", a->options, bad, why);
		return e;
	}
	e = wait_for(plan, "verity data", dparam, a->source, &dspec, &data);
	if (!e && !strcmp(a->source, a->keydev))
		hash = data, hash.fd = dup(data.fd);	/* one device: hash-offset= */
	else if (!e)
		e = wait_for(plan, "verity hash", hparam, a->keydev, &hspec, &hash);
	if (!e)
		e = read_layout(a, hparam, &c, &data, &hash);
	if (!e && verity_hash_start(&c, &hash_start)) {
		err("systemd.verity_root_options=%s: hash-offset=%llu is not a multiple of the hash block size %u",
		    a->options, (unsigned long long)c.hash_offset, c.hash_block_size);
		e = -EINVAL;
	}
	if (!e)
		e = check_root_hash(p, &c, &hash, hash_start);
	device_release(&data);
	device_release(&hash);
	if (e)
		return e;
	len = verity_unhex(p->roothash, digest, sizeof(digest));
	e = map_root(&c, &data, &hash, hash_start, digest, len);
	if (e)
		return e;
	info("verity: /dev/mapper/%s maps %s (data) and %s (hash, %s), checked against roothash=",
	     VERITY_NAME, data.node, hash.node, c.alg);
	wayback_remember("dm", VERITY_NAME);
	return 0;
}
