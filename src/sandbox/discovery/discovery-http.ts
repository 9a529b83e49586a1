import { randomUUID } from 'node:crypto';
import { jsonReply, type Reply } from '../http/reply';

/** Both services answer OData/ARM-style `{"error":{"code","message"}}`; the codes here are best guesses. */
export function discoveryError(status: number, code: string, message: string): Reply {
  return jsonReply(status, { error: { code, message } }, { 'x-ms-request-id': randomUUID() });
}

export type Claims = Record<string, unknown>;
