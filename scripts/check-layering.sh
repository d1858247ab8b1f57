#!/bin/sh
# Keep each foreign library in its one module and dependencies pointing one
# way: cli, tui -> sync -> forms, store -> core (STYLE.md, "The shape of the house").
bad=0
only() { # only HEADER-REGEX ALLOWED-PATH-REGEX
	hits=$(grep -lE "#include *<($1)" core/*.[ch] store/*.[ch] forms/*.[ch] index/*.[ch] sync/*.[ch] district/*.[ch] tui/*.[ch] cli/*.[ch] 2>/dev/null | grep -vE "$2")
	if [ -n "$hits" ]; then echo "layering: <$1> included outside $2: $hits"; bad=1; fi
}
only 'lmdb\.h' '^store/'
only 'sodium' '^(core/secret\.c|sync/seal\.c)$'
only 'n?curses' '^tui/term\.c$'
only 'curl/' '^sync/'
only 'microhttpd\.h' '^sync/'
only 'xlsxwriter' '^district/'
only 'zstd\.h' '^sync/'
above() { # above MODULE FORBIDDEN-MODULES-REGEX
	hits=$(grep -lE "#include *\"($2)/" $1/*.[ch] 2>/dev/null)
	if [ -n "$hits" ]; then echo "layering: $1 includes a module above it: $hits"; bad=1; fi
}
above core 'store|forms|sync|tui|cli'
above store 'forms|sync|tui|cli'
above forms 'store|sync|tui|cli'
above sync 'tui|cli'
above tui 'cli'
above core 'district'
above store 'district'
above forms 'district'
above sync 'district'
above district 'tui|cli'
# index/ (record lists) sits on forms and store, below sync and the front ends.
above core 'index'
above store 'index'
above forms 'index'
above index 'sync|district|tui|cli'
exit $bad
