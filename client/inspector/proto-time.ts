/** An instant of Temporal's protobuf answers (seconds and nanos), or null when it has none. */
export const ts = (t: { seconds?: unknown; nanos?: number | null } | null | undefined): Date | null =>
  t?.seconds == null ? null : new Date(Number(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6));
