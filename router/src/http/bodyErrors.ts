import type { ErrorRequestHandler } from 'express';

/** Malformed or oversized request bodies get a 400/413 with a GraphQL-shaped error. */
export const bodyErrors: ErrorRequestHandler = (error: { type?: string; status?: number }, _req, res, next) => {
  if (error.type === 'entity.parse.failed') {
    res
      .status(400)
      .json({ errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
    return;
  }
  if (error.type === 'entity.too.large') {
    res
      .status(413)
      .json({ errors: [{ message: 'The request body is too large.', extensions: { code: 'BAD_REQUEST' } }] });
    return;
  }
  next(error);
};
