# make install: the command, the inits and the host tools (issue 20; see README).
