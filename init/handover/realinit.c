#include "handover/realinit.h"
#include "base/log.h"
#include "base/util.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/vfs.h>
#include <unistd.h>

#define MAX_SYMLINKS 40
#define MAX_PHDRS 64

/*
 * A locked build starts only what its builder listed (make LOCKDOWN=1
 * LOCKED_INITS=...): the command line must not reach a shell. Others try
 * the kernel's own list, a shell last.
 */
#ifdef HANDOFF_LOCKDOWN
#ifndef HANDOFF_LOCKED_INITS
#error "HANDOFF_LOCKED_INITS is unset: build with make LOCKDOWN=1 (LOCKED_INITS=...)"
#endif
static const char *const inits[] = { HANDOFF_LOCKED_INITS NULL };
const struct init_list build_inits = { inits, true };
#else
static const char *const inits[] = { "/sbin/init", "/etc/init", "/bin/init", "/bin/sh", NULL };
const struct init_list build_inits = { inits, false };
#endif

#if UINTPTR_MAX > 0xffffffffU
typedef Elf64_Ehdr Ehdr;
typedef Elf64_Phdr Phdr;
#define OUR_CLASS ELFCLASS64
#else
typedef Elf32_Ehdr Ehdr;
typedef Elf32_Phdr Phdr;
#define OUR_CLASS ELFCLASS32
#endif

#if defined(__x86_64__)
#define OUR_MACHINE EM_X86_64
#elif defined(__aarch64__)
#define OUR_MACHINE EM_AARCH64
#elif defined(__arm__)
#define OUR_MACHINE EM_ARM
#elif defined(__i386__)
#define OUR_MACHINE EM_386
#elif defined(__riscv)
#define OUR_MACHINE EM_RISCV
#else
#define OUR_MACHINE EM_NONE	/* unknown: skip the check */
#endif

static void drop_last(char *done)
{
	char *slash = strrchr(done, '/');

	if (slash)
		*slash = '\0';
	else
		done[0] = '\0';
}

/*
 * Replaces the walk with target + rest after a symlink; rest is empty or
 * starts with its "/", so "link/" still wants a directory.
 */
static int splice_link(char *todo, size_t size, const char *target, const char *rest)
{
	char tmp[REALINIT_PATH_MAX];

	if (str_copy(tmp, target, sizeof(tmp)) || str_append(tmp, rest, sizeof(tmp)))
		return -ENAMETOOLONG;
	return str_copy(todo, tmp, size) ? -ENAMETOOLONG : 0;
}

static int step(int rootfd, char *done, size_t dsize, char *todo, const char **rest, int *links)
{
	char target[REALINIT_PATH_MAX];
	struct stat st;
	ssize_t n;

	if (fstatat(rootfd, done, &st, AT_SYMLINK_NOFOLLOW))
		return -errno;
	if (!S_ISLNK(st.st_mode)) {
		/* Anything after it, a trailing "/" too, wants a directory. */
		if (**rest && !S_ISDIR(st.st_mode))
			return -ENOTDIR;
		*rest += strspn(*rest, "/");
		return 0;
	}
	if (++*links > MAX_SYMLINKS)
		return -ELOOP;
	n = readlinkat(rootfd, done, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	drop_last(done);
	if (target[0] == '/')
		done[0] = '\0';
	(void)dsize;
	if (splice_link(todo, REALINIT_PATH_MAX, target, *rest))
		return -ENAMETOOLONG;
	*rest = todo;
	return 0;
}

int resolve_in_root(int rootfd, const char *path, char *out, size_t size)
{
	char todo[REALINIT_PATH_MAX], done[REALINIT_PATH_MAX] = "";
	const char *p;
	size_t len, n;
	int links = 0, e;

	if (str_copy(todo, path, sizeof(todo)))
		return -ENAMETOOLONG;
	for (p = todo; *(p += strspn(p, "/"));) {
		len = strcspn(p, "/");
		if (len == 1 && p[0] == '.') {
			p += len;
			continue;
		}
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			/* ".." never leaves the new root. */
			drop_last(done);
			p += len;
			continue;
		}
		n = strlen(done);
		if (n + len + 2 > sizeof(done))
			return -ENAMETOOLONG;
		if (n)
			done[n++] = '/';
		memcpy(done + n, p, len);
		done[n + len] = '\0';
		p += len;
		e = step(rootfd, done, sizeof(done), todo, &p, &links);
		if (e)
			return e;
	}
	return str_copy(out, done[0] ? done : ".", size) ? -ENAMETOOLONG : 0;
}

static int check_interp(int rootfd, const char *interp, const char *what, char *why,
			size_t size)
{
	char rel[REALINIT_PATH_MAX];
	struct stat st;
	int e = resolve_in_root(rootfd, interp, rel, sizeof(rel));

	if (!e && fstatat(rootfd, rel, &st, 0))
		e = -errno;
	if (!e && (!S_ISREG(st.st_mode) || !(st.st_mode & 0111)))
		e = -EACCES;
	if (e)
		fmt_buf(why, size, "its %s %s is missing or not executable in the new root (%s)",
			what, interp, errtext(e));
	return e;
}

static int read_at(int fd, void *buf, size_t len, off_t off)
{
	ssize_t n = pread(fd, buf, len, off);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -ENOEXEC;
}

/* A dynamic ELF needs its loader (PT_INTERP) inside the new root. */
static int check_elf(int rootfd, int fd, const Ehdr *eh, char *why, size_t size)
{
	Phdr ph[MAX_PHDRS];
	char interp[256];
	int i;

	if (eh->e_ident[EI_CLASS] != OUR_CLASS ||
	    (OUR_MACHINE != EM_NONE && eh->e_machine != OUR_MACHINE)) {
		fmt_buf(why, size, "it is an ELF for another architecture (machine %u, class %u)",
			eh->e_machine, eh->e_ident[EI_CLASS]);
		return -ENOEXEC;
	}
	if (eh->e_phentsize != sizeof(Phdr) || eh->e_phnum > MAX_PHDRS)
		return 0;	/* unusual but let the kernel judge */
	/* One read for the table: each read of the real root costs. */
	if (read_at(fd, ph, eh->e_phnum * sizeof(Phdr), (off_t)eh->e_phoff))
		return 0;	/* a short table: let the kernel judge */
	for (i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_INTERP)
			continue;
		if (ph[i].p_filesz < 2 || ph[i].p_filesz > sizeof(interp) ||
		    read_at(fd, interp, ph[i].p_filesz, (off_t)ph[i].p_offset)) {
			fmt_buf(why, size, "its program interpreter entry is corrupt");
			return -ENOEXEC;
		}
		interp[ph[i].p_filesz - 1] = '\0';
		return check_interp(rootfd, interp, "program interpreter", why, size);
	}
	return 0;
}

static int check_script(int rootfd, char *head, char *why, size_t size)
{
	char *interp = head + 2;

	interp += strspn(interp, " \t");
	interp[strcspn(interp, " \t\n")] = '\0';
	if (!*interp) {
		fmt_buf(why, size, "its #! line names no interpreter");
		return -ENOEXEC;
	}
	return check_interp(rootfd, interp, "interpreter", why, size);
}

static int check_content(int rootfd, int fd, char *why, size_t size)
{
	union {
		Ehdr eh;
		char text[256];
	} head;
	ssize_t n = pread(fd, &head, sizeof(head) - 1, 0);

	if (n < 0)
		return -errno;
	head.text[n] = '\0';
	if (n >= (ssize_t)sizeof(Ehdr) && !memcmp(head.eh.e_ident, ELFMAG, SELFMAG))
		return check_elf(rootfd, fd, &head.eh, why, size);
	if (n >= 2 && head.text[0] == '#' && head.text[1] == '!')
		return check_script(rootfd, head.text, why, size);
	fmt_buf(why, size, "it is neither an ELF executable nor a #! script");
	return -ENOEXEC;
}

int check_executable(int rootfd, const char *path, char *why, size_t size)
{
	char rel[REALINIT_PATH_MAX];
	struct statfs sf;
	struct stat st;
	int fd, e;

	e = resolve_in_root(rootfd, path, rel, sizeof(rel));
	if (e) {
		fmt_buf(why, size, "%s", errtext(e));
		return e;
	}
	fd = openat(rootfd, rel, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0 || fstat(fd, &st)) {
		e = -errno;
		fmt_buf(why, size, "%s", errtext(e));
		if (fd >= 0)
			close(fd);
		return e;
	}
	if (!S_ISREG(st.st_mode) || !(st.st_mode & 0111)) {
		fmt_buf(why, size, S_ISREG(st.st_mode) ? "it is not executable (mode 0%o)" :
			"it is not a regular file", st.st_mode & 07777);
		close(fd);
		return -EACCES;
	}
	if (!fstatfs(fd, &sf) && (sf.f_flags & ST_NOEXEC)) {
		fmt_buf(why, size, "its filesystem is mounted noexec");
		close(fd);
		return -EACCES;
	}
	e = check_content(rootfd, fd, why, size);
	close(fd);
	return e;
}

/* asked: path came from init=, so say why it is not used. */
static int try_candidate(int rootfd, const char *path, const struct init_list *l, bool asked,
			 char *out, size_t size)
{
	char why[256] = "";
	int e = check_executable(rootfd, path, why, sizeof(why));

	if (!e)
		return str_copy(out, path, size);
	if (asked)
		warn("init=%s cannot be used: %s; trying the %s places", path, why,
		     l->locked ? "allowed" : "standard");
	else
		debug("no init at %s: %s", path, why);
	return e;
}

bool init_allowed(const struct init_list *l, const char *path)
{
	int i;

	if (!l->locked)
		return true;
	for (i = 0; l->paths[i]; i++)
		if (!strcmp(l->paths[i], path))
			return true;
	return false;
}

/* The list, space-separated, for messages. */
static const char *list_text(const struct init_list *l, char *buf, size_t size)
{
	int i;

	buf[0] = '\0';
	for (i = 0; l->paths[i]; i++)
		if ((i && str_append(buf, " ", size)) || str_append(buf, l->paths[i], size))
			break;
	return buf;
}

/* init= names something outside the list: a command line must not choose it. */
static void report_refused(const struct init_list *l, const char *requested)
{
	char list[512];

	err("init=%s refused: this init was built with LOCKDOWN=1 and starts only %s; trying those",
	    requested, list_text(l, list, sizeof(list)));
	err("hint: to allow another init, rebuild with make LOCKDOWN=1 LOCKED_INITS=\"/path/one /path/two\"");
}

static void report_none(int rootfd, const char *newroot, const struct init_list *l)
{
	char why[256];
	int i;

	err("no usable init in the new root (%s):", newroot);
	for (i = 0; l->paths[i]; i++) {
		why[0] = '\0';
		check_executable(rootfd, l->paths[i], why, sizeof(why));
		err("  %s: %s", l->paths[i], why);
	}
	if (l->locked)
		err("hint: is root= the right partition? this locked init starts only the paths above (make LOCKDOWN=1 LOCKED_INITS=... changes them)");
	else
		err("hint: is root= the right partition? pass init=/path/to/init if it lives elsewhere");
}

int choose_init(const char *newroot, const char *requested, const struct init_list *l,
		char *out, size_t size)
{
	int rootfd = open(newroot, O_PATH | O_DIRECTORY | O_CLOEXEC);
	int i, e = -ENOENT;

	if (rootfd < 0) {
		e = -errno;
		err("cannot open the new root %s: %s", newroot, errtext(e));
		return e;
	}
	if (requested && !init_allowed(l, requested)) {
		report_refused(l, requested);
		requested = NULL;
	}
	if (requested && !try_candidate(rootfd, requested, l, true, out, size))
		goto found;
	for (i = 0; l->paths[i]; i++)
		if (!try_candidate(rootfd, l->paths[i], l, false, out, size))
			goto found;
	report_none(rootfd, newroot, l);
	close(rootfd);
	return e;
found:
	close(rootfd);
	debug("the real init is %s", out);
	return 0;
}

int find_real_init(const char *newroot, const char *requested, char *out, size_t size)
{
	return choose_init(newroot, requested, &build_inits, out, size);
}
