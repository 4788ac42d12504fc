# syntax=docker/dockerfile:1

# Node 24 is a maintained LTS line (20 reached end of life on 2026-04-30); package.json asks for >=22.

# ---- production dependencies: rebuilt only when the lock file changes
FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: no production dependency has install hooks, and our own "prepare" (a build)
# needs the dev dependencies this stage leaves out.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund --no-update-notifier

# ---- build: compile TypeScript (dev dependencies)
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund --no-update-notifier
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The dashboard's page, bundled into dist/ui by the build.
COPY ui ./ui
COPY scripts/build-ui.js ./scripts/build-ui.js
RUN npm run build

# ---- runtime: shipped files and production dependencies only
FROM node:24-slim
ARG SOURCE_URL=""
LABEL org.opencontainers.image.title="keystore-mock" \
      org.opencontainers.image.description="Stateful mock server for the keystore management API, driven by an OpenAPI document" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.source="${SOURCE_URL}"
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080
WORKDIR /app
# Files stay root-owned: the server only reads them, so user node needs no write access.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# package.json is read at start for the version.
COPY package.json ./
COPY openapi ./openapi
COPY scripts/healthcheck.js ./scripts/healthcheck.js
# The default world and the built-in scenarios. Mount your own folder elsewhere (say /fixtures,
# read-only is fine) with MOCK_FIXTURES=/fixtures: the built-in scenarios stay beside yours.
COPY fixtures ./fixtures
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "/app/scripts/healthcheck.js"]
# Not "npm start": its prestart hook runs tsc, a dev dependency. node runs as PID 1 and handles SIGTERM.
CMD ["node", "dist/cli.js"]
