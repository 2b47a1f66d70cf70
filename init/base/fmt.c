/* A bounded printf subset: enough for messages, small enough for PID 1. */
#include "base/log.h"

#include <stdint.h>

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len++] = c;
}

static void put_str(struct out *o, const char *s)
{
	if (!s)
		s = "(null)";
	while (*s)
		put(o, *s++);
}

static void put_num(struct out *o, unsigned long long v, unsigned base, int neg)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		put(o, '-');
	while (n)
		put(o, tmp[--n]);
}

/* Reads one integer argument of the size the prefix asked for. */
static unsigned long long get_arg(va_list *ap, int size, int is_signed, int *neg)
{
	long long s;

	*neg = 0;
	if (!is_signed) {
		if (size == 2)
			return va_arg(*ap, unsigned long long);
		if (size == 1)
			return va_arg(*ap, unsigned long);
		if (size == 3)
			return va_arg(*ap, size_t);
		return va_arg(*ap, unsigned int);
	}
	if (size == 2)
		s = va_arg(*ap, long long);
	else if (size == 1 || size == 3)
		s = va_arg(*ap, long);
	else
		s = va_arg(*ap, int);
	if (s < 0) {
		*neg = 1;
		return 0ULL - (unsigned long long)s;
	}
	return (unsigned long long)s;
}

static const char *convert(struct out *o, const char *f, va_list *ap)
{
	int size = 0, neg;
	unsigned long long v;

	for (; *f == 'l' || *f == 'z'; f++)
		size = *f == 'z' ? 3 : size + 1;
	switch (*f) {
	case 's':
		put_str(o, va_arg(*ap, const char *));
		break;
	case 'c':
		put(o, (char)va_arg(*ap, int));
		break;
	case 'd':
	case 'i':
		v = get_arg(ap, size, 1, &neg);
		put_num(o, v, 10, neg);
		break;
	case 'u':
	case 'x':
	case 'o':
		v = get_arg(ap, size, 0, &neg);
		put_num(o, v, *f == 'x' ? 16 : *f == 'o' ? 8 : 10, 0);
		break;
	case '%':
		put(o, '%');
		break;
	default:
		put(o, '%');
		if (!*f)
			return f;
		put(o, *f);
	}
	return f + 1;
}

size_t fmt_vbuf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	va_list aq;

	if (!size)
		return 0;
	va_copy(aq, ap);
	while (*fmt) {
		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt = convert(&o, fmt + 1, &aq);
	}
	va_end(aq);
	buf[o.len] = '\0';
	return o.len;
}

size_t fmt_buf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = fmt_vbuf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

size_t fmt_printable(char *buf, size_t size, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	struct out o = { buf, size, 0 };
	unsigned char c;

	if (!size)
		return 0;
	for (; (c = (unsigned char)*s); s++) {
		if (c >= 0x20 && c != 0x7f) {
			put(&o, (char)c);
			continue;
		}
		if (o.len + 4 >= o.size)
			break;	/* never half an escape */
		put(&o, '\\');
		put(&o, 'x');
		put(&o, hex[c >> 4]);
		put(&o, hex[c & 15]);
	}
	buf[o.len] = '\0';
	return o.len;
}
