/** A plan on sale. */
export interface Plan {
  id: string;
  name: string;
  /** Price per interval, in cents (USD). */
  priceCents: number;
  interval: 'month' | 'year';
}

/** The plans on sale. Entitlements per plan arrive with the billing domain. */
export const PLANS: readonly Plan[] = [
  { id: 'free', name: 'Free', priceCents: 0, interval: 'month' },
  { id: 'pro', name: 'Pro', priceCents: 1_900, interval: 'month' },
  { id: 'team', name: 'Team', priceCents: 4_900, interval: 'month' },
];

export const findPlan = (id: string): Plan | undefined => PLANS.find((plan) => plan.id === id);
