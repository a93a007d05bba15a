// Example partner client: typed operations from clients/generated/ (npm run codegen) sent with fetch.
// Each operation lives in clients/operations/*.graphql; codegen turns it into a TypedDocumentNode
// (`<Name>Document`) whose result and variable types follow the selection set.
import type { ResultOf, TypedDocumentNode, VariablesOf } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { graphql } from './generated/gql.js';
import { ApplyFlowOpsDocument, CreateFlowDocument, FlowDocument, type FlowOpInput } from './generated/graphql.js';

export type FlowDetails = NonNullable<ResultOf<typeof FlowDocument>['flow']>;
export type CreateFlowVariables = VariablesOf<typeof CreateFlowDocument>;

/** The response carried GraphQL errors (or no data). */
export class GraphQLRequestError extends Error {
  constructor(readonly errors: readonly { message: string; extensions?: { code?: string } }[]) {
    super(errors.map((error) => error.message).join('; ') || 'no data in the response');
    this.name = 'GraphQLRequestError';
  }
}

/** POSTs a typed operation to the router; the result type comes from the document. */
export async function execute<TResult, TVariables>(
  url: string,
  token: string | undefined,
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
): Promise<TResult> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as {
    data?: TResult | null;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  if (body.errors?.length || body.data == null) throw new GraphQLRequestError(body.errors ?? []);
  return body.data;
}

/** Creates a flow, adds a start node to it and loads it back. */
export async function createAndLoadFlow(url: string, token: string, name = 'Checkout'): Promise<FlowDetails> {
  const created = await execute(url, token, CreateFlowDocument, { input: { name } });
  // Compile-time proof that types flow through: these only compile if the result is typed.
  const flowName: string = created.createFlow.name;
  const version: number = created.createFlow.version;
  // @ts-expect-error `description` is in the schema but not in the CreateFlow selection set.
  void created.createFlow.description;

  const ops: FlowOpInput[] = [
    { kind: 'ADD_NODE', node: { id: 'start', type: 'start', label: `${flowName}: start`, position: { x: 0, y: 0 } } },
  ];
  const applied = await execute(url, token, ApplyFlowOpsDocument, { flowId: created.createFlow.id, ops });
  if (applied.applyFlowOps.version <= version) throw new Error('applyFlowOps did not advance the version');

  const loaded = await execute(url, token, FlowDocument, { id: created.createFlow.id });
  if (!loaded.flow) throw new Error(`flow ${created.createFlow.id} was not found after creating it`);
  return loaded.flow;
}

// The generated graphql() function maps the exact text of a known operation (clients/operations/Me.graphql)
// to its typed document; any other string gives `unknown`, which the typed use below would reject. A plain
// string literal, not a template: prettier reformats embedded GraphQL templates, which would break the match.
const MeQuery = graphql('query Me {\n  me {\n    id\n    name\n  }\n}');

/** The signed-in user's name, or null when not signed in. */
export async function whoAmI(url: string, token: string): Promise<string | null> {
  const result = await execute(url, token, MeQuery, {});
  return result.me?.name ?? null;
}
