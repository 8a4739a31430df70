package io.opsdoc.lab.docker;

/**
 * The Dockerfiles the lint scenarios write: a good one that follows every practice of the note, and variants that
 * each break one, written the way the source notes' own examples break them (an unpinned base, a cleanup in its own
 * RUN, the entrypoint's {@code exec "@"} typo).
 */
public final class DockerfileCases {
    private DockerfileCases() {
    }

    public static final String GOOD = """
            # nginx serving a static site
            FROM debian:12.5-slim
            RUN apt-get update \\
             && apt-get install -y --no-install-recommends nginx gettext-base \\
             && rm -rf /var/lib/apt/lists/*
            COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
            COPY site/ /usr/share/nginx/html/
            RUN useradd --system --no-create-home web
            USER web
            HEALTHCHECK --interval=30s --timeout=3s CMD wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1
            ENTRYPOINT ["docker-entrypoint.sh"]
            CMD ["nginx", "-g", "daemon off;"]
            """;

    public static final String ENTRYPOINT_GOOD = """
            #!/bin/sh
            set -e
            if [ "$1" = nginx ]; then
              envsubst < /etc/nginx/templates/site.conf > /etc/nginx/conf.d/site.conf
            fi
            exec "$@"
            """;

    /** The notes' typo: {@code exec "@"} runs a program named "@", and CMD is never exec'd. */
    public static final String ENTRYPOINT_TYPO = """
            #!/bin/sh
            set -e
            envsubst < /etc/nginx/templates/site.conf > /etc/nginx/conf.d/site.conf
            exec "@"
            """;

    public static final String LATEST = """
            FROM golang:latest AS build
            COPY . /src
            RUN cd /src && go build -o /out/app .
            FROM nginx
            COPY --from=build /out/app /usr/local/bin/app
            USER nginx
            CMD ["app"]
            """;

    public static final String NO_USER = GOOD.replace("RUN useradd --system --no-create-home web\n", "")
            .replace("USER web\n", "");

    public static final String ADD_LOCAL = GOOD.replace("COPY site/ /usr/share/nginx/html/", "ADD site/ /usr/share/nginx/html/");

    /** Build tools and a source tarball, removed in a RUN of their own: the bytes stay in the earlier layers. */
    public static final String DELETE_LATER = """
            FROM debian:12.5-slim
            RUN apt-get update && apt-get install -y --no-install-recommends gcc make libpcre3-dev zlib1g-dev
            COPY nginx-1.24.0.tar.gz /tmp/
            RUN tar -xzf /tmp/nginx-1.24.0.tar.gz -C /tmp && cd /tmp/nginx-1.24.0 && ./configure && make && make install
            RUN rm -rf /tmp/nginx-1.24.0.tar.gz /var/lib/apt/lists/*
            USER nobody
            CMD ["/usr/local/nginx/sbin/nginx", "-g", "daemon off;"]
            """;

    public static final String SEPARATE_RUNS = """
            FROM debian:12.5-slim
            RUN apt-get update
            RUN apt-get install -y --no-install-recommends curl ca-certificates
            RUN useradd --system app
            USER app
            CMD ["curl", "--version"]
            """;
}
