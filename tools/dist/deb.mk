# make deb: the Debian package (issue 20; see README).
