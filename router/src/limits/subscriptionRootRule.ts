import { GraphQLError, Kind, type SelectionSetNode, type ValidationRule } from 'graphql';

const CONDITIONS = new Set(['skip', 'include']);

/**
 * A subscription's root selections may not be conditional (`@skip`/`@include`), as the
 * GraphQL specification now requires: which field a subscription runs must not depend on
 * variables, so that what the router checks is what the subgraph runs.
 */
export const subscriptionRootRule: ValidationRule = (context) => ({
  OperationDefinition(operation) {
    if (operation.operation !== 'subscription') return;
    const seen = new Set<string>();
    const visit = (selectionSet: SelectionSetNode): void => {
      for (const selection of selectionSet.selections) {
        const directive = selection.directives?.find((d) => CONDITIONS.has(d.name.value));
        if (directive) {
          context.reportError(
            new GraphQLError(`@${directive.name.value} is not allowed on a subscription's root selections.`, {
              nodes: [directive],
            }),
          );
        }
        if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
        if (selection.kind === Kind.FRAGMENT_SPREAD && !seen.has(selection.name.value)) {
          seen.add(selection.name.value);
          const fragment = context.getFragment(selection.name.value);
          if (fragment) visit(fragment.selectionSet);
        }
      }
    };
    visit(operation.selectionSet);
  },
});
