# The StockAlert bot (and, with a different command, the live feed connector) for ECS Fargate.
# Build: docker build --platform linux/arm64 -t stockalert-bot .   (the CDK app does this on deploy)

# 1. Compile the TypeScript entry points with esbuild (a devDependency), npm packages left external
#    (infra/service-bundle.ts: the same build the artefact test runs).
FROM public.ecr.aws/docker/library/node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY . .
RUN npm run build:services

# 2. The runtime: production dependencies only, as a non-root user.
FROM public.ecr.aws/docker/library/node:22-bookworm-slim
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps \
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
# `npm run bot` without tsx (a devDependency): the same entry, compiled.
CMD ["node", "dist/bot.mjs"]
