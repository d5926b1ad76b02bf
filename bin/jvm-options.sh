# shellcheck shell=bash
# Sourced by bin/kk and bench/lib.sh: the one reader of bin/jvm-options.
# read_jvm_options FILE: the file's options (one a line, # comments and blank lines skipped) into
# the array `jvm`.
read_jvm_options() {
  jvm=()
  local line
  while IFS= read -r line; do
    [[ -z "$line" || "$line" == \#* ]] || jvm+=("$line")
  done <"$1"
}
