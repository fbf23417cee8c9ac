# The worker and the API of the attestation service (one image, two commands; see docker-compose.yml).
# Production dependencies only, run as the unprivileged `node` user; secrets come from mounts at run time,
# never from the image (.dockerignore keeps secrets/, .env* and key files out of the build context).
# Node 22, a supported LTS (20's support ended 30 April 2026); the suite runs on it too (npm run test:node-lts).
FROM node:22-bookworm-slim
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
