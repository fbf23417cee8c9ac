# The worker and the API of the attestation service (one image, two commands; see docker-compose.yml).
# Production dependencies only, run as the unprivileged `node` user; secrets come from mounts at run time,
# never from the image (.dockerignore keeps secrets/, .env* and key files out of the build context).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY prisma ./prisma
COPY prisma.config.ts ./
RUN npm ci --omit=dev && npm cache clean --force
COPY . .
RUN chown -R node:node /app/prisma/generated
USER node
# DATABASE_URL and TEMPORAL_ADDRESS come from the environment; the API also needs IDENTITY_SECRET.
CMD ["node", "--import", "tsx", "worker/main.ts"]
