/**
 * A failure's words as support reads them. The service's failure converter (infra/failure-converter.ts) keeps a
 * failure's message encrypted in Temporal, so what the server answers says "Encoded failure"; this decodes it with
 * the client's own keys. The words are codes and the service's own (infra/failures.ts): no personal data.
 */
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { decodeOptionalFailureToOptionalError } from '@temporalio/common/lib/internal-non-workflow';

export async function failureText(client: Client, failure: temporal.api.failure.v1.IFailure | null | undefined): Promise<string | null> {
  if (!failure) return null;
  if (!failure.encodedAttributes) return failure.message ?? null;
  try {
    return (await decodeOptionalFailureToOptionalError(client.options.loadedDataConverter, failure))?.message ?? null;
  } catch {
    return 'an encrypted failure message this process holds no key for';
  }
}
