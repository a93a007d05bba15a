import { badUserInput } from '#internal/errors';

/** The `clientId` a writer tags its events with, to recognise its own echoes. */
export const checkClientId = (clientId: string | null | undefined): string | null => {
  if (clientId != null && clientId.length > 128) throw badUserInput('clientId has at most 128 characters.', 'clientId');
  return clientId ?? null;
};
