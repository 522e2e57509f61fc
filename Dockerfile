# syntax=docker/dockerfile:1
# One image for both roles: `node apps/api/dist/server.js` or `node apps/worker/dist/main.js`.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.base.json ./
COPY packages ./packages
COPY apps ./apps
RUN npm ci --no-audit --no-fund && npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8888
WORKDIR /app
COPY --from=build /app /app
USER node
EXPOSE 8888
CMD ["node", "apps/api/dist/server.js"]
