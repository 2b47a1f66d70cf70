/*
 * A dm-crypt cipher spec ("aes-xts-plain64", "serpent-cbc-essiv:sha256",
 * "xchacha12,aes-adiantum-plain64", "capi:xts(aes)-plain64") turned into
 * the kernel crypto API names dm-crypt and the templates it instantiates
 * look up (each one request_module("crypto-NAME") when missing), so that
 * handoff-modules can take their modules by the kernel's crypto- aliases
 * and check that a kernel has them. The rules follow the 6.1 kernel:
 * drivers/md/dm-crypt.c (crypt_ctr_cipher_old, crypt_ctr_cipher_new),
 * crypto/xts.c, crypto/essiv.c, crypto/adiantum.c.
 */
#ifndef HANDOFF_CIPHERSPEC_H
#define HANDOFF_CIPHERSPEC_H

#include <stdbool.h>
#include <stddef.h>

#define CIPHER_API_MAX 128	/* the kernel's CRYPTO_MAX_ALG_NAME */

/*
 * The name dm-crypt allocates for spec into api ("xts(serpent)",
 * "essiv(cbc(aes),sha256)", "adiantum(xchacha12,aes)"), and into iv_alg
 * the other algorithm its IV mode allocates ("md5" for lmk, "crc32" for
 * tcw, "ecb(aes)" for elephant; "" for the others). Returns 0, or -EINVAL
 * for what dm-crypt refuses, -ENAMETOOLONG.
 */
int cipher_spec_api(const char *spec, char *api, size_t size, char *iv_alg, size_t iv_size);

/* Whether the kernel has name (a module providing crypto-NAME, or built in). */
typedef bool (*cipher_has_fn)(const char *name, void *ctx);

/*
 * Whether the kernel can instantiate the algorithm name: a provider of
 * name itself, or of its template and of every algorithm the template
 * takes (xts(X) and lrw(X) take ecb(X); adiantum(S,B) takes S, B and
 * nhpoly1305). has is called for every name on the way, also after one
 * is missing (to take every module that could be needed). The names
 * missing without which it cannot be had are appended to missing
 * (comma-separated). Returns whether it can.
 */
bool cipher_alg_walk(const char *name, cipher_has_fn has, void *ctx, char *missing,
		     size_t msize);

#endif
