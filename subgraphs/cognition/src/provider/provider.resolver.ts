import { Ctx, Query, Resolver } from 'type-graphql';
import type { CognitionContext } from '../context.js';
import { AiProvider } from './provider.type.js';

@Resolver(() => AiProvider)
export class ProviderResolver {
  @Query(() => [AiProvider], { description: 'The AI providers in failover order.' })
  aiProviders(@Ctx() context: CognitionContext): AiProvider[] {
    return context.providers.map((provider, index) => ({
      name: provider.name,
      configured: provider.configured,
      priority: index + 1,
    }));
  }
}
