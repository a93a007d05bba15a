# One image for every service of UX-Flow-Engine: the router (default command) and the five
# subgraphs (docker-compose.yml overrides the command). TypeScript runs through tsx; no build step.

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY internal ./internal
COPY subgraphs ./subgraphs
COPY router ./router
COPY schema ./schema
COPY stack ./stack
USER node
# Fail the build, not the container, if a service's code no longer loads under tsx here
# (this also leaves tsx's transform cache warm for the node user).
RUN node --import tsx --input-type=module -e "const { readdirSync } = await import('node:fs'); await import('reflect-metadata'); for (const name of readdirSync('subgraphs')) await import('./subgraphs/' + name + '/src/server.ts'); await import('./router/src/server.ts'); console.log('every service loads');"
EXPOSE 4000 4001 4002 4003 4004 4005
CMD ["node", "--import", "tsx", "router/src/index.ts"]
