# syntax=docker/dockerfile:1
# The manager image: operators/ compiled to JavaScript (tsconfig.build.json),
# production dependencies only, on a slim Node 20, run as a non-root user.
# Nothing is written at run time, so the chart mounts the root filesystem
# read-only. Build it with `npm run image`.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY operators ./operators
RUN npx tsc -p tsconfig.build.json

FROM ${NODE_IMAGE} AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
# package.json says "type": "module" for the compiled ES modules.
COPY package.json ./
COPY --from=dependencies /app/node_modules ./node_modules
COPY --from=build /src/dist ./dist
# The image's "node" user, by number so that runAsNonRoot can verify it.
USER 1000:1000
# metrics, health probes, scheduler extender, admission webhook
EXPOSE 8080 8081 8090 9443
ENTRYPOINT ["node", "dist/operators/main.js"]
