# rawping as a container user gets it: installed from the package (`npm pack`) into an image
# with no compiler, run by a non-root user. Build: docker build -t rawping .
# Run with only CAP_NET_RAW:      docker run --rm --cap-drop=ALL --cap-add=NET_RAW rawping
# Run with no capability at all:  docker run --rm --cap-drop=ALL --sysctl net.ipv4.ping_group_range="0 2147483647" rawping
# The default command is the smoke check that `npm run test:container` also runs.
# As the exporter (port 9374, smokeping_prober's; a bare :9374 listens on every address, as a
# container needs), with the config mounted read-only and reloaded by `docker kill -s HUP`:
#   docker run -d --cap-drop=ALL --cap-add=NET_RAW -p 9374:9374 -v "$PWD/exporter.yml:/etc/rawping/exporter.yml:ro" rawping node_modules/.bin/rawping exporter --config /etc/rawping/exporter.yml
# It runs as the image's user (app), so --user is not needed.

# The package, made as for publishing: npm pack builds the prebuilt addons (prepack:
# scripts/build-prebuilds.mjs), for this machine's architecture with g++ and for arm64 with
# Debian's cross-compiler, into the tarball's prebuilds/.
FROM node:20-slim AS pack
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ g++-aarch64-linux-gnu \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json tsconfig.json binding.gyp README.md LICENSE ./
COPY native native
COPY src src
COPY scripts scripts
COPY docs docs
RUN npm ci && npm pack && mv rawping-*.tgz /rawping.tgz

# What a user's image looks like: node:20-slim has no python3, make or g++, and gets none
# here. The install takes the prebuilt addon for this platform; nothing is compiled.
FROM node:20-slim
RUN if command -v g++ || command -v cc || command -v make; then echo "a compiler in the final image" >&2; exit 1; fi
RUN useradd --create-home --uid 10001 app
USER app
WORKDIR /home/app
COPY --from=pack /rawping.tgz /tmp/rawping.tgz
RUN npm init -y >/dev/null \
  && npm install --no-audit --no-fund /tmp/rawping.tgz \
  && test ! -e node_modules/rawping/build \
  && test -e "node_modules/rawping/prebuilds/linux-$(node -p process.arch)/rawping.glibc.node"
COPY --chown=app test/container/smoke.mjs ./smoke.mjs
EXPOSE 9374
CMD ["node", "smoke.mjs"]
