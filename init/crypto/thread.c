/*
 * Worker threads for the KDFs (thread.h): clone() with the flags a
 * pthread has, every signal blocked in the worker (it inherits the mask
 * set around clone), and a futex wait on the id CLONE_CHILD_CLEARTID
 * clears once the thread has left its stack.
 */
#include "crypto/thread.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define STACK_SIZE ((size_t)128 << 10)	/* a worker needs a few KiB; sanitizer builds more */
#define FUTEX_WAIT 0
/* All of these: what the kernel (and qemu-user) expect of a thread. */
#define THREAD_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | \
		      CLONE_SYSVSEM | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID)

static int run(void *arg)
{
	struct kdf_thread *t = arg;

	t->fn(t->arg);
	return 0;
}

int kdf_thread_start(struct kdf_thread *t, void (*fn)(void *), void *arg)
{
	/* The kernel's 64-signal set, through the raw call (libc's wrappers are 0.1 KiB). */
	uint64_t all = ~(uint64_t)0, old = 0;
	int e = 0;

	t->stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			-1, 0);
	if (t->stack == MAP_FAILED)
		return -ENOMEM;
	t->fn = fn;
	t->arg = arg;
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, &all, &old, sizeof(all));
	/* The kernel sets tid before the thread runs, so a join never misses its end. */
	if (clone(run, (char *)t->stack + STACK_SIZE, THREAD_FLAGS, t, &t->tid, NULL, &t->tid) < 0)
		e = -errno;
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &old, NULL, sizeof(old));
	if (e)
		munmap(t->stack, STACK_SIZE);
	return e;
}

void kdf_thread_join(struct kdf_thread *t)
{
	int tid;

	while ((tid = __atomic_load_n(&t->tid, __ATOMIC_ACQUIRE)))
		syscall(SYS_futex, &t->tid, FUTEX_WAIT, tid, NULL);
	munmap(t->stack, STACK_SIZE);
}
