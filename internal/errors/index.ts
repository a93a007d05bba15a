import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** The error codes of the public contract; every GraphQL error carries one. */
export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  RATE_LIMITED = 'RATE_LIMITED',
  CONFLICT = 'CONFLICT',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

export interface AppErrorExtensions {
  code: ErrorCode;
  /** The input field at fault, for BAD_USER_INPUT. */
  field?: string;
  [key: string]: unknown;
}

/** An error meant for the client: its message and extensions are safe to show. */
export class AppError extends GraphQLError {
  declare readonly extensions: AppErrorExtensions;

  constructor(code: ErrorCode, message: string, extensions: Omit<AppErrorExtensions, 'code'> = {}) {
    super(message, { extensions: { ...extensions, code } });
    this.name = 'AppError';
  }
}

export const badUserInput = (message: string, field?: string): AppError =>
  new AppError(ErrorCode.BAD_USER_INPUT, message, field === undefined ? {} : { field });

export const notFound = (message: string): AppError => new AppError(ErrorCode.NOT_FOUND, message);

export const unauthenticated = (message = 'You must be signed in.'): AppError =>
  new AppError(ErrorCode.UNAUTHENTICATED, message);

export const forbidden = (message = 'You are not allowed to do this.'): AppError =>
  new AppError(ErrorCode.FORBIDDEN, message);

export const conflict = (message: string): AppError => new AppError(ErrorCode.CONFLICT, message);

/** RATE_LIMITED with when to try again. */
export const rateLimited = (retryAfterSeconds: number, message = 'Too many requests; try again later.'): AppError =>
  new AppError(ErrorCode.RATE_LIMITED, message, { retryAfterSeconds });

const knownCodes = new Set<string>([
  ...Object.values(ErrorCode),
  // Apollo Server's own codes for requests that never reach a resolver.
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * Apollo `formatError`: errors with a known code pass through; anything else is an
 * internal failure whose details (driver messages, stacks) stay in the logs when
 * `production` is set.
 */
export function maskError(formatted: GraphQLFormattedError, production: boolean): GraphQLFormattedError {
  const code = formatted.extensions?.['code'];
  if (typeof code === 'string' && knownCodes.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
    if (!production) return formatted;
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  if (!production) {
    return { ...formatted, extensions: { ...formatted.extensions, code: ErrorCode.INTERNAL_SERVER_ERROR } };
  }
  return {
    message: 'Internal server error',
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}
