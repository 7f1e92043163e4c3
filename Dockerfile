# rawping as a container user gets it: installed from the package (`npm pack`), run by a
# non-root user. Build: docker build -t rawping .
# Run with only CAP_NET_RAW:      docker run --rm --cap-drop=ALL --cap-add=NET_RAW rawping
# Run with no capability at all:  docker run --rm --cap-drop=ALL --sysctl net.ipv4.ping_group_range="0 2147483647" rawping
# The default command is the smoke check that `npm run test:container` also runs.

FROM node:20-slim AS pack
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json tsconfig.json binding.gyp ./
COPY native native
COPY src src
COPY scripts scripts
RUN npm ci && npm pack --ignore-scripts && mv rawping-*.tgz /rawping.tgz

FROM node:20-slim
# The addon is built at install time, as on any machine that installs the package.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 10001 app
USER app
WORKDIR /home/app
COPY --from=pack /rawping.tgz /tmp/rawping.tgz
RUN npm init -y >/dev/null && npm install --no-audit --no-fund /tmp/rawping.tgz
COPY --chown=app test/container/smoke.mjs ./smoke.mjs
CMD ["node", "smoke.mjs"]
