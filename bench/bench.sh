#!/bin/sh
# Entry point of `npm run bench`: raise the open-file limit as far as allowed (the idle
# scenario holds 15,000 sockets in the generator and as many in the server), then run
# the TypeScript CLI through tsx with the workspace's source condition.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec node --import tsx --conditions parley-source "$(dirname "$0")/src/cli.ts" "$@"
