# The worker and the API of the attestation service (one image, two commands; see docker-compose.yml).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY prisma ./prisma
COPY prisma.config.ts ./
RUN npm ci --include=dev
COPY . .
# DATABASE_URL and TEMPORAL_ADDRESS come from the environment; the API also needs IDENTITY_SECRET.
CMD ["node", "--import", "tsx", "worker/main.ts"]
