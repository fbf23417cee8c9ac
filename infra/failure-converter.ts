/**
 * The failure converter of every Temporal connection of the service (issue 32): a failure's message and stack
 * trace travel as an encoded attribute, which the payload codec encrypts with the payload keys, so the server's
 * history holds no readable failure text; the codec server shows it to an operator who may decode.
 * Loaded by path (`failureConverterPath`) so that the workflow bundle uses it too.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
