/* MODULES=host's keyboard test: input_is_keyboard() on the kernel's capabilities texts. */
#include "check.h"
#include "../../tools/hostonly.h"

/* An AT keyboard as a 64-bit kernel shows it (capabilities/ev, capabilities/key). */
static const char at_ev[] = "120013\n";
static const char at_key64[] = "402000000 3803078f800d001 feffffdfffefffff fffffffffffffffe\n";
/* The same keys in a 32-bit kernel's words. */
static const char at_key32[] = "4 2000000 3803078 f800d001 feffffdf ffefffff ffffffff fffffffe\n";

static void test_keyboards(void)
{
	TEST("keyboard: an AT keyboard, 64-bit words");
	CHECK(input_is_keyboard(at_ev, at_key64, 64));
	TEST("keyboard: a 64-bit kernel's text read by a 32-bit tool");
	CHECK(input_is_keyboard(at_ev, at_key64, 32));
	TEST("keyboard: an AT keyboard, 32-bit words");
	CHECK(input_is_keyboard(at_ev, at_key32, 32));
	TEST("keyboard: only the letters and Enter (KEY_Q..P, A..L, Z..M, ENTER)");
	/* bits 16-25, 28, 30-38, 44-50 */
	CHECK(input_is_keyboard("3", "7f07fd3ff0000", 64));
	TEST("keyboard: no Enter");
	CHECK(!input_is_keyboard("3", "7f07fc3ff0000", 64));
	TEST("keyboard: no M (bit 50)");
	CHECK(!input_is_keyboard("3", "3f07fd3ff0000", 64));
}

static void test_others(void)
{
	TEST("keyboard: a power button (KEY_POWER only) is none");
	CHECK(!input_is_keyboard("3\n", "10000000000000 0\n", 64));
	TEST("keyboard: a mouse (buttons only) is none");
	CHECK(!input_is_keyboard("17\n", "1f0000 0 0 0 0\n", 64));
	TEST("keyboard: letter keys without EV_KEY are none");
	CHECK(!input_is_keyboard("1\n", at_key64, 64));
	TEST("keyboard: empty texts (no capabilities files)");
	CHECK(!input_is_keyboard("", "", 64));
	TEST("keyboard: a word of more than 16 digits is refused, not misread");
	CHECK(!input_is_keyboard(at_ev, "fffffffffffffffffe", 64));
	TEST("keyboard: no such word size");
	CHECK(!input_is_keyboard(at_ev, "fffffffe", 16));
}

int main(void)
{
	test_keyboards();
	test_others();
	return check_failed;
}
