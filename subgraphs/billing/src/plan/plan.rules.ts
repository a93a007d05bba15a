import { allow } from 'graphql-shield';

export const planRules = {
  // The price list is public.
  Query: { plans: allow, billingMode: allow },
  Plan: allow,
};
