import { allow } from 'graphql-shield';

export const providerRules = {
  // Which providers run and in what order is not a secret; keys never leave config.
  Query: { aiProviders: allow },
  AiProvider: allow,
};
