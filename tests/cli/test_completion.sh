#!/bin/sh
# Bash completion (contrib/bash-completion/cchc) checked against the program:
#  - its commands are cli/main.c's command table, in order, and `cchc --help`'s;
#  - each command's options are exactly those its --help names (but for the
#    global ones), and each subcommand it offers is in that --help;
#  - the config keys it offers are the ones `cchc config` takes;
#  - completing real command lines gives the expected words, --opt=value too.
. "$(dirname "$0")/../lib.sh"
SRC="${CCHC_DATADIR:-.}"
COMP="$SRC/contrib/bash-completion/cchc"
command -v bash >/dev/null || skip "bash is not installed"
[ -f "$COMP" ] || fail "no $COMP"
# comp SCRIPT [ARG...]: run SCRIPT in bash with the completion loaded (ARGs as $1...).
comp() { bash --norc --noprofile -c '. "$1"; s=$2; shift 2; eval "$s"' sh "$COMP" "$@"; }

table=$(sed -n '/^static const struct command commands/,/^};/p' "$SRC/cli/main.c" |
	grep -o '{"[a-z]*", cmd_' | sed 's/{"\([a-z]*\)".*/\1/' | tr '\n' ' ')
listed=$(comp 'echo $_cchc_commands' | tr '\n' ' ' | tr -s ' ')
eq "$(echo $listed)" "$(echo $table)" "the completion's commands are cli/main.c's table, in order"
run 0 --help
for c in $table; do
	grep -q "^  $c " "$T/out" || fail "cchc --help lacks $c"
done
ok "every command is in cchc --help"

globals=$(comp 'echo $_cchc_global_opts')
for g in --home --lang --user --telex --colour --warn-days; do
	echo " $globals " | tr '\n' ' ' | grep -q -- " $g " || fail "global option $g not completed"
done
ok "the global options are completed"

for c in $table; do
	"$CCHC" --lang en "$c" --help >"$T/help" 2>&1
	helpopts=$(grep -oE -- '--[a-z][a-z0-9-]*' "$T/help" | sort -u)
	compopts=$(comp "_cchc_options $c" | tr ' ' '\n' | grep . | sort -u)
	for o in $helpopts; do
		case " $(echo $globals) " in *" $o "*) continue ;; esac
		[ "$c $o" = "config --server" ] && continue # config's help points to sync push's
		echo "$compopts" | grep -qx -- "$o" || fail "$c --help has $o, the completion does not"
	done
	for o in $compopts; do
		echo "$helpopts" | grep -qx -- "$o" || fail "the completion offers $c $o, $c --help does not"
	done
	for s in $(comp "_cchc_subcommands $c"); do
		grep -qw -- "$s" "$T/help" || fail "the completion offers $c $s, $c --help does not"
	done
done
ok "each command's options and subcommands match its --help"

setup_nodes
for k in $(comp 'echo $_cchc_config_keys'); do
	run 0 --home "$C" config show "$k"
done
run 64 --home "$C" config show nosuch
for k in $(comp 'echo $_cchc_config_keys'); do err_has "$k"; done

# complete LINE EXPECTED: the words offered at the end of LINE.
complete_is() {
	got=$(comp 'COMP_LINE=$1; COMP_POINT=${#COMP_LINE}; _cchc; echo "${COMPREPLY[*]}"' "$1")
	eq "$got" "$2" "complete '$1'"
}
complete_is "cchc co" "config"
complete_is "cchc config " "show set"
complete_is "cchc config set " "server lang telex colour warn_days"
complete_is "cchc config set colour a" "auto always"
complete_is "cchc --home /x enroll --f" "--fingerprint"
complete_is "cchc --lang=" "vi en"
complete_is "cchc --telex=n" "new"
complete_is "cchc --colour " "auto always never"
complete_is "cchc --user qt user add lan --role l" "lanhdao"
complete_is "cchc sync p" "push"
complete_is "cchc --warn-days 3 re" "revoke record restore"
done_testing
