# Smoke test for custom-runtime layers: run as `sh -c <this> llr-smoke path...` in the provided image.
# POSIX sh with coreutils only (the provided images are minimal). For each path under /opt: present,
# executable, and either an ELF for this architecture (LLR_ELF_MACHINE, e_machine as od prints it)
# whose shared libraries resolve (ldd, or the dynamic loader's --list where there is no ldd) or a
# script whose #! interpreter exists in the image. LD_LIBRARY_PATH and PATH get /opt/lib and /opt/bin
# as Lambda sets them.
case ":${LD_LIBRARY_PATH-}:" in *:/opt/lib:*) ;; *) LD_LIBRARY_PATH="${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}/opt/lib" ;; esac
case ":$PATH:" in *:/opt/bin:*) ;; *) PATH="$PATH:/opt/bin" ;; esac
export LD_LIBRARY_PATH PATH
json() { printf '%s' "$1" | tr '\n\t' '  ' | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g'; }
report() {
  if [ -z "$2" ]; then printf 'LLR-SMOKE {"module":"%s","ok":true,"detail":"%s"}\n' "$(json "$1")" "$(json "$3")"
  else printf 'LLR-SMOKE {"module":"%s","ok":false,"error":"%s"}\n' "$(json "$1")" "$(json "$2")"; fi
}
machine_name() { case "$1" in 3e) echo x86_64 ;; b7) echo arm64 ;; 03) echo i386 ;; 28) echo arm32 ;; *) echo "machine 0x$1" ;; esac; }
libraries() {
  if command -v ldd >/dev/null 2>&1; then ldd "$1" 2>&1; return; fi
  for loader in /lib64/ld-linux-x86-64.so.2 /lib/ld-linux-aarch64.so.1; do
    [ -x "$loader" ] && { "$loader" --list "$1" 2>&1; return; }
  done
  echo "no ldd and no dynamic loader in the image"
}
for name in "$@"; do
  file="/opt/$name"
  if [ ! -f "$file" ]; then report "$name" "not in the layer"; continue; fi
  if [ ! -x "$file" ]; then report "$name" "not executable: the zip must keep its mode (chmod 755)"; continue; fi
  set -- $(od -An -tx1 -N20 "$file")
  if [ "$1$2$3$4" = 7f454c46 ]; then
    if [ "${19}" != "$LLR_ELF_MACHINE" ]; then
      report "$name" "an ELF for $(machine_name "${19}"), not for $(machine_name "$LLR_ELF_MACHINE")"; continue
    fi
    output=$(libraries "$file")
    missing=$(printf '%s\n' "$output" | grep -E 'not found|No such file|cannot|error' || true)
    if [ -n "$missing" ]; then report "$name" "shared libraries do not resolve: $missing"; continue; fi
    report "$name" "" "ELF $(machine_name "$LLR_ELF_MACHINE"), libraries resolve"
  elif [ "$1$2" = 2321 ]; then
    IFS= read -r line < "$file" || true
    set -- ${line#??}
    interpreter="${1-}"
    if [ "$interpreter" = /usr/bin/env ] && [ -n "${2-}" ]; then
      if command -v "$2" >/dev/null 2>&1; then report "$name" "" "script for $2"
      else report "$name" "interpreter $2 (#!$line) is not on the runtime's PATH"; fi
    elif [ -n "$interpreter" ] && [ -x "$interpreter" ]; then report "$name" "" "script for $interpreter"
    else report "$name" "interpreter $interpreter (#!${line#??}) is not in the runtime image"; fi
  else
    report "$name" "neither an ELF executable nor a script starting with #!"
  fi
done
