# Build stage: compile TypeScript and the better-sqlite3 native addon.
FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
# npm install (pinned by the lockfile) rather than npm ci: see .ci/run for why.
RUN npm install --no-audit --no-fund --ignore-scripts && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bin ./bin
RUN npm run build && npm prune --omit=dev --ignore-scripts

# Runtime stage: no compiler, no dev dependencies, no keys (the master key is mounted at run time).
FROM node:20-bookworm-slim
ENV NODE_ENV=production STRONGROOM_HOME=/data STRONGROOM_HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
VOLUME ["/data"]
EXPOSE 7300
CMD ["node", "dist/main.js"]
