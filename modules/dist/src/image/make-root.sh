#!/bin/sh
# Builds the OCI image's own root file system: a jlink'ed Java runtime in /opt/java plus the glibc it links
# against, so the image needs no base image (no registry is reachable to pull one, and Jib needs no daemon).
#
# usage: make-root.sh JAVA_HOME OUT_DIR
# The runtime only changes with the JDK, so it is reused while the recorded key matches (a clean build re-links).
set -eu
jdk=$1
out=$2
# jdeps --print-module-deps over lib/ gives java.base, java.compiler, java.desktop, java.naming, java.net.http,
# java.security.jgss, java.security.sasl, java.sql, jdk.management, jdk.unsupported. jdk.crypto.ec is loaded by
# name (TLS with ECDHE, i.e. most HTTPS), jdk.naming.dns by JNDI (Kafka's DNS lookups), jdk.zipfs by the note
# catalog reading notes from the jar: none of them shows up as a static dependency.
modules=java.base,java.compiler,java.desktop,java.naming,java.net.http,java.security.jgss,java.security.sasl,java.sql,jdk.management,jdk.unsupported,jdk.crypto.ec,jdk.naming.dns,jdk.zipfs
key="$(readlink -f "$jdk/bin/java") $modules $(cat "$jdk/release" 2>/dev/null | cksum)"
if [ -f "$out/.key" ] && [ "$(cat "$out/.key")" = "$key" ]; then
  echo "make-root: $out is up to date"
  exit 0
fi
if [ ! -x "$jdk/bin/jlink" ] || [ ! -d "$jdk/jmods" ]; then
  echo "make-root: $jdk has no jlink or no jmods/: the image needs a full JDK 17 (Debian: openjdk-17-jdk-headless);" \
       "or build without release artifacts: ./mvnw package -Ddist.skip=true" >&2
  exit 1
fi
rm -rf "$out"
mkdir -p "$out/opt" "$out/tmp" "$out/etc"
"$jdk/bin/jlink" --add-modules "$modules" --output "$out/opt/java" --strip-debug --no-header-files --no-man-pages

# Debian's JDK keeps its CA certificates outside the JDK (a symlink to /etc/ssl/certs/java/cacerts): copy the real
# file, or HTTPS checks in the image would trust nothing.
rm -f "$out/opt/java/lib/security/cacerts"
cp -L "$(readlink -f "$jdk/lib/security/cacerts")" "$out/opt/java/lib/security/cacerts"

# The shared libraries java and libjvm need, at the paths the dynamic loader looks in, as real files (no symlinks).
# java.desktop is there for java.beans (Jackson); its AWT, sound and font libraries never load in a headless run,
# so their X11/ALSA/freetype dependencies stay out.
for bin in "$out/opt/java/bin/java" "$out/opt/java/lib/server/libjvm.so" $(ls "$out"/opt/java/lib/*.so \
    | grep -Ev '/lib(awt|awt_xawt|awt_headless|fontmanager|jsound|splashscreen|lcms|javajpeg|mlib_image|jawt)\.so$'); do
  ldd "$bin" 2>/dev/null | awk '/=> \//{print $3} /^\t\/lib/{print $1}'
done | sort -u | while read -r lib; do
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
done
# what JVM tools expect of a minimal system: a user for the numeric uid the image runs as, and the loader
printf 'root:x:0:0:root:/root:/sbin/nologin\nopsdoc:x:65532:65532:opsdoc:/tmp:/sbin/nologin\n' > "$out/etc/passwd"
printf 'root:x:0:\nopsdoc:x:65532:\n' > "$out/etc/group"
printf '%s' "$key" > "$out/.key"
echo "make-root: $(du -sh "$out" | cut -f1) in $out"
