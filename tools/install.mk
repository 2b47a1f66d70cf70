# make install: the command, the inits and the host tools (issue 20; see README).
#   make install [DESTDIR=STAGE] [PREFIX=/usr/local] [SYSCONFDIR=/etc]
#   make uninstall (the same variables)
# PREFIX/sbin/handoff-mkinitramfs, PREFIX/lib/handoff/ (the inits, mkcpio,
# handoff-modules and the helpers the command runs), PREFIX/bin/handoff-lsinitramfs,
# the man pages, and SYSCONFDIR/handoff/handoff.conf (not under PREFIX; an
# existing one is kept: it is the administrator's).
PREFIX ?= /usr/local
SYSCONFDIR ?= /etc
DESTDIR ?=
PKG_LIBDIR := $(PREFIX)/lib/handoff
PKG_CONFDIR := $(SYSCONFDIR)/handoff

# The inits the command chooses from: the default, one per feature, and
# all of them (init-all), each built by a make of its own (the features
# are make variables); name, make variables, the file the build makes.
INSTALL_INITS := init init-crypt init-storage init-net init-flash init-layers init-all
INSTALL_PRE := $(if $(LOCKDOWN),-locked)
INSTALL_VARS_init :=
INSTALL_VARS_init-crypt := CRYPT=1
INSTALL_VARS_init-storage := STORAGE=1
INSTALL_VARS_init-net := NET=1
INSTALL_VARS_init-flash := FLASH=1
INSTALL_VARS_init-layers := LAYERS=1
INSTALL_VARS_init-all := LAYERS=1 STORAGE=1 NET=1 FLASH=1
INSTALL_FILE_init := $(OUT)/init$(INSTALL_PRE)
INSTALL_FILE_init-all := $(OUT)/init$(INSTALL_PRE)-layers-storage-net-flash
$(foreach i,crypt storage net flash layers,$(eval INSTALL_FILE_init-$(i) := $(OUT)/init$(INSTALL_PRE)-$(i)))

# The helpers the command runs, from the tree; the ones other work adds
# (handoff-uki; the lsinitramfs reader, built by its own rule) when present.
INSTALL_HELPERS := tools/host-crypttab tools/luks-list $(wildcard tools/handoff-uki)
INSTALL_LSINITRAMFS := $(if $(wildcard tools/lsinitramfs.c),$(HOST)/handoff-lsinitramfs)
INSTALL_TOOLS := $(HOST)/mkcpio $(HOST)/handoff-modules
INSTALL_SED := -e 's|@LIBDIR@|$(PKG_LIBDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
	-e 's|@VERSION@|$(VERSION)|g' -e 's|@ARCH@|$(ARCH)|g'

.PHONY: install install-inits uninstall

# One make per init (PROBES=all: the command's images load modules).
define INSTALL_INIT_MAKE
	+$(MAKE) --no-print-directory PROBES=all LAYERS= STORAGE= NET= FLASH= $(INSTALL_VARS_$(1)) all

endef
install-inits:
	$(foreach i,$(INSTALL_INITS),$(call INSTALL_INIT_MAKE,$(i)))

install: install-inits $(INSTALL_TOOLS) $(INSTALL_LSINITRAMFS) tools/handoff-mkinitramfs tools/handoff.conf \
		tools/initramfs.list $(INSTALL_HELPERS)
	@if [ -x tools/mkman ]; then tools/mkman $(BUILD)/man; fi
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PKG_LIBDIR) $(DESTDIR)$(PKG_CONFDIR)/conf.d
	sed $(INSTALL_SED) tools/handoff-mkinitramfs >$(DESTDIR)$(PREFIX)/sbin/handoff-mkinitramfs.tmp
	chmod 755 $(DESTDIR)$(PREFIX)/sbin/handoff-mkinitramfs.tmp
	mv -f $(DESTDIR)$(PREFIX)/sbin/handoff-mkinitramfs.tmp $(DESTDIR)$(PREFIX)/sbin/handoff-mkinitramfs
	$(foreach i,$(INSTALL_INITS),install -m 755 $(INSTALL_FILE_$(i)) $(DESTDIR)$(PKG_LIBDIR)/$(i)$(NL))
	install -m 755 $(INSTALL_TOOLS) $(INSTALL_HELPERS) $(DESTDIR)$(PKG_LIBDIR)/
	install -m 644 tools/initramfs.list $(DESTDIR)$(PKG_LIBDIR)/initramfs.list
	$(if $(INSTALL_LSINITRAMFS),install -d $(DESTDIR)$(PREFIX)/bin && \
		install -m 755 $(INSTALL_LSINITRAMFS) $(DESTDIR)$(PREFIX)/bin/handoff-lsinitramfs)
	@for s in 7 8; do \
		set -- $(BUILD)/man/*.$$s; [ -f "$$1" ] || continue; \
		echo "install -m 644 $$* $(DESTDIR)$(PREFIX)/share/man/man$$s/"; \
		install -d $(DESTDIR)$(PREFIX)/share/man/man$$s && install -m 644 "$$@" $(DESTDIR)$(PREFIX)/share/man/man$$s/ || exit 1; \
	done
	@if [ -e $(DESTDIR)$(PKG_CONFDIR)/handoff.conf ]; then \
		echo "$(DESTDIR)$(PKG_CONFDIR)/handoff.conf is there: kept (the new defaults: tools/handoff.conf)"; \
	else \
		echo "install -m 644 tools/handoff.conf $(DESTDIR)$(PKG_CONFDIR)/handoff.conf"; \
		install -m 644 tools/handoff.conf $(DESTDIR)$(PKG_CONFDIR)/handoff.conf; \
	fi

# Removes what install put there; handoff.conf only while it is unchanged.
uninstall:
	rm -f $(DESTDIR)$(PREFIX)/sbin/handoff-mkinitramfs $(DESTDIR)$(PREFIX)/bin/handoff-lsinitramfs \
		$(addprefix $(DESTDIR)$(PKG_LIBDIR)/,$(INSTALL_INITS) $(notdir $(INSTALL_TOOLS) $(INSTALL_HELPERS)) initramfs.list) \
		$(DESTDIR)$(PREFIX)/share/man/man8/handoff-mkinitramfs.8 $(DESTDIR)$(PREFIX)/share/man/man7/handoff.7
	-rmdir $(DESTDIR)$(PKG_LIBDIR)
	@if cmp -s tools/handoff.conf $(DESTDIR)$(PKG_CONFDIR)/handoff.conf; then \
		rm -f $(DESTDIR)$(PKG_CONFDIR)/handoff.conf; \
		rmdir $(DESTDIR)$(PKG_CONFDIR)/conf.d $(DESTDIR)$(PKG_CONFDIR) 2>/dev/null || :; \
	elif [ -e $(DESTDIR)$(PKG_CONFDIR)/handoff.conf ]; then \
		echo "$(DESTDIR)$(PKG_CONFDIR)/handoff.conf was changed: kept"; \
	fi

define NL


endef
