/** A refused mutation; routes map the code to each service's own error body. */
export type SandboxErrorCode =
  'not_found' | 'conflict' | 'invalid' | 'group_inherited' | 'not_assigned' | 'no_units' | 'no_usage_location';

export class SandboxError extends Error {
  constructor(
    readonly code: SandboxErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SandboxError';
  }
}
