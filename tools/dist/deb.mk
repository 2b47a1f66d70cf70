# make deb: handoff's Debian package, $(DEB) (issue 20; see README): make
# install into $(DEB_ROOT) with PREFIX=/usr, then tools/dist/mkdeb adds the
# kernel hooks, update-initramfs, the kernel-install plugin and DEBIAN/, and
# runs dpkg-deb. Reproducible: SOURCE_DATE_EPOCH (default: the last
# commit's time, else 0) for every mtime, root as every owner.

DEB := $(BUILD)/handoff_$(VERSION)_amd64.deb
DEB_ROOT := $(BUILD)/deb/root
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)

.PHONY: deb
deb: $(DEB)

# Always remade: what make install puts in may have changed.
$(DEB): tools/dist/mkdeb FORCE
	@[ "$(ARCH)" = x86_64 ] || { echo "make deb: ARCH=$(ARCH): the package is amd64 (its host tools run on the build machine); make deb ARCH=x86_64" >&2; exit 1; }
	rm -rf $(BUILD)/deb
	SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) $(MAKE) install DESTDIR=$(abspath $(DEB_ROOT)) PREFIX=/usr SYSCONFDIR=/etc
	SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) tools/dist/mkdeb $(DEB_ROOT) $(VERSION) $@
