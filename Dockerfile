# Strongroom's image. Node 24, an LTS line (supported to April 2028); the code also runs on Node 20 and
# 22, which the test machines use. Both stages use the same Node major: the better-sqlite3 addon built
# in the first is loaded by the second, and a native addon runs only on the Node ABI it was built for.

# Build stage: compile TypeScript and the better-sqlite3 native addon (needs python3, make and g++,
# which the full image has).
FROM node:24-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
# npm install (pinned by the lockfile) rather than npm ci: see .ci/run for why.
RUN npm install --no-audit --no-fund --ignore-scripts && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The web console (ui/), bundled by the build into dist/ui.
COPY ui ./ui
COPY bin ./bin
# build:server, not build: the image ships the server; the client package (packages/client) is not in it.
RUN npm run build:server && npm prune --omit=dev --ignore-scripts

# Runtime stage: no compiler, no dev dependencies, no keys (the master key is mounted at run time).
FROM node:24-bookworm-slim
ENV NODE_ENV=production STRONGROOM_HOME=/data STRONGROOM_HOST=0.0.0.0 STRONGROOM_PORT=7300
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
# `strongroom` on the PATH, for `docker exec ... strongroom token create` and the like. The home is
# private to the user that runs the server (StrictModes refuses a home others can write); a new named
# volume mounted on /data starts with this owner and mode.
RUN ln -s /app/bin/strongroom.js /usr/local/bin/strongroom && mkdir -m 700 /data && chown node:node /data
# The image's unprivileged `node` user (uid 1000, gid 1000). A mounted key file or store-URL file must
# be owned by uid 1000 and mode 0600: Strongroom, like sshd, refuses key files that another user owns.
USER node
VOLUME ["/data"]
EXPOSE 7300
# Liveness, not readiness: Docker (and Swarm, which replaces unhealthy tasks) acts on this, and a new
# process does not bring back a store that is down, it only starts cold. Load balancers that should stop
# sending requests while the store or the projection lags use GET /readyz. No curl in the slim image.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.STRONGROOM_PORT||7300)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The first start creates the root token in /data/api-token (0600) and logs its path, never the token
# (stdout is not a terminal; with `docker run -t` it would be, and Docker keeps what a terminal shows).
CMD ["node", "dist/main.js"]
