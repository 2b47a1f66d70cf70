/*
 * The KDFs' worker threads (Argon2's lanes, PBKDF2's output blocks)
 * without libc's pthreads, which cost a static init about 5 KiB: clone()
 * with a stack of its own, joined by waiting on the thread id the kernel
 * clears when the thread ends. A worker shares the caller's thread-local
 * storage, so it runs pure computation only: no errno, no locks, no
 * allocation.
 */
#ifndef HANDOFF_CRYPTO_THREAD_H
#define HANDOFF_CRYPTO_THREAD_H

struct kdf_thread {
	int tid;		/* set by the kernel at the start, cleared at the end */
	void *stack;
	void (*fn)(void *);
	void *arg;
};

/* Runs fn(arg) on a new thread: 0, or -errno (the caller then runs it itself). */
int kdf_thread_start(struct kdf_thread *t, void (*fn)(void *), void *arg);

/* Waits for a started thread to end and frees its stack. */
void kdf_thread_join(struct kdf_thread *t);

#endif
