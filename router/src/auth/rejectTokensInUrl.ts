import type { RequestHandler } from 'express';

const TOKEN_PARAMS = ['access_token', 'token', 'authorization', 'jwt'];

/** The credential-looking query parameter in `url`, if any. */
export function tokenParamIn(url: string | undefined): string | undefined {
  const keys = [...new URL(url ?? '/', 'http://localhost').searchParams.keys()].map((key) => key.toLowerCase());
  return TOKEN_PARAMS.find((name) => keys.includes(name));
}

/** Tokens in URLs end up in logs and browser history: refused outright. */
export const rejectTokensInUrl: RequestHandler = (req, res, next) => {
  const found = tokenParamIn(req.originalUrl);
  if (found) {
    res.status(400).json({
      errors: [
        {
          message: `Credentials are not accepted in the URL (${found}); send them in the Authorization header.`,
          extensions: { code: 'BAD_REQUEST' },
        },
      ],
    });
    return;
  }
  next();
};
