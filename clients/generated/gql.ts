/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation ApplyFlowOps($flowId: ID!, $ops: [FlowOpInput!]!, $clientId: String) {\n  applyFlowOps(flowId: $flowId, ops: $ops, clientId: $clientId) {\n    version\n    flow {\n      id\n      version\n    }\n  }\n}": typeof types.ApplyFlowOpsDocument,
    "mutation CreateFlow($input: CreateFlowInput!) {\n  createFlow(input: $input) {\n    id\n    name\n    version\n  }\n}": typeof types.CreateFlowDocument,
    "query Flow($id: ID!) {\n  flow(id: $id) {\n    id\n    name\n    version\n    owner {\n      id\n      name\n    }\n    nodes {\n      id\n      type\n      label\n      position {\n        x\n        y\n      }\n      data\n    }\n    edges {\n      id\n      source\n      target\n      label\n    }\n  }\n}": typeof types.FlowDocument,
    "subscription FlowEvents($flowId: ID!) {\n  flowEvents(flowId: $flowId) {\n    flowId\n    version\n    clientId\n    ops {\n      kind\n      nodeId\n      edgeId\n      node {\n        id\n        label\n        position {\n          x\n          y\n        }\n      }\n      edge {\n        id\n        source\n        target\n      }\n    }\n    author {\n      id\n      name\n    }\n  }\n}": typeof types.FlowEventsDocument,
    "query Flows($first: Int, $after: String) {\n  flows(first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        id\n        name\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.FlowsDocument,
    "mutation LogIn($input: LogInInput!) {\n  logIn(input: $input) {\n    accessToken\n    refreshToken\n    user {\n      id\n      name\n      email\n    }\n  }\n}": typeof types.LogInDocument,
    "query Me {\n  me {\n    id\n    name\n  }\n}": typeof types.MeDocument,
    "query Plans {\n  plans {\n    id\n    name\n    priceCents\n    interval\n  }\n}": typeof types.PlansDocument,
    "mutation SignUp($input: SignUpInput!) {\n  signUp(input: $input) {\n    accessToken\n    refreshToken\n    user {\n      id\n      name\n      email\n    }\n  }\n}": typeof types.SignUpDocument,
};
const documents: Documents = {
    "mutation ApplyFlowOps($flowId: ID!, $ops: [FlowOpInput!]!, $clientId: String) {\n  applyFlowOps(flowId: $flowId, ops: $ops, clientId: $clientId) {\n    version\n    flow {\n      id\n      version\n    }\n  }\n}": types.ApplyFlowOpsDocument,
    "mutation CreateFlow($input: CreateFlowInput!) {\n  createFlow(input: $input) {\n    id\n    name\n    version\n  }\n}": types.CreateFlowDocument,
    "query Flow($id: ID!) {\n  flow(id: $id) {\n    id\n    name\n    version\n    owner {\n      id\n      name\n    }\n    nodes {\n      id\n      type\n      label\n      position {\n        x\n        y\n      }\n      data\n    }\n    edges {\n      id\n      source\n      target\n      label\n    }\n  }\n}": types.FlowDocument,
    "subscription FlowEvents($flowId: ID!) {\n  flowEvents(flowId: $flowId) {\n    flowId\n    version\n    clientId\n    ops {\n      kind\n      nodeId\n      edgeId\n      node {\n        id\n        label\n        position {\n          x\n          y\n        }\n      }\n      edge {\n        id\n        source\n        target\n      }\n    }\n    author {\n      id\n      name\n    }\n  }\n}": types.FlowEventsDocument,
    "query Flows($first: Int, $after: String) {\n  flows(first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        id\n        name\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.FlowsDocument,
    "mutation LogIn($input: LogInInput!) {\n  logIn(input: $input) {\n    accessToken\n    refreshToken\n    user {\n      id\n      name\n      email\n    }\n  }\n}": types.LogInDocument,
    "query Me {\n  me {\n    id\n    name\n  }\n}": types.MeDocument,
    "query Plans {\n  plans {\n    id\n    name\n    priceCents\n    interval\n  }\n}": types.PlansDocument,
    "mutation SignUp($input: SignUpInput!) {\n  signUp(input: $input) {\n    accessToken\n    refreshToken\n    user {\n      id\n      name\n      email\n    }\n  }\n}": types.SignUpDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ApplyFlowOps($flowId: ID!, $ops: [FlowOpInput!]!, $clientId: String) {\n  applyFlowOps(flowId: $flowId, ops: $ops, clientId: $clientId) {\n    version\n    flow {\n      id\n      version\n    }\n  }\n}"): (typeof documents)["mutation ApplyFlowOps($flowId: ID!, $ops: [FlowOpInput!]!, $clientId: String) {\n  applyFlowOps(flowId: $flowId, ops: $ops, clientId: $clientId) {\n    version\n    flow {\n      id\n      version\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreateFlow($input: CreateFlowInput!) {\n  createFlow(input: $input) {\n    id\n    name\n    version\n  }\n}"): (typeof documents)["mutation CreateFlow($input: CreateFlowInput!) {\n  createFlow(input: $input) {\n    id\n    name\n    version\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Flow($id: ID!) {\n  flow(id: $id) {\n    id\n    name\n    version\n    owner {\n      id\n      name\n    }\n    nodes {\n      id\n      type\n      label\n      position {\n        x\n        y\n      }\n      data\n    }\n    edges {\n      id\n      source\n      target\n      label\n    }\n  }\n}"): (typeof documents)["query Flow($id: ID!) {\n  flow(id: $id) {\n    id\n    name\n    version\n    owner {\n      id\n      name\n    }\n    nodes {\n      id\n      type\n      label\n      position {\n        x\n        y\n      }\n      data\n    }\n    edges {\n      id\n      source\n      target\n      label\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription FlowEvents($flowId: ID!) {\n  flowEvents(flowId: $flowId) {\n    flowId\n    version\n    clientId\n    ops {\n      kind\n      nodeId\n      edgeId\n      node {\n        id\n        label\n        position {\n          x\n          y\n        }\n      }\n      edge {\n        id\n        source\n        target\n      }\n    }\n    author {\n      id\n      name\n    }\n  }\n}"): (typeof documents)["subscription FlowEvents($flowId: ID!) {\n  flowEvents(flowId: $flowId) {\n    flowId\n    version\n    clientId\n    ops {\n      kind\n      nodeId\n      edgeId\n      node {\n        id\n        label\n        position {\n          x\n          y\n        }\n      }\n      edge {\n        id\n        source\n        target\n      }\n    }\n    author {\n      id\n      name\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Flows($first: Int, $after: String) {\n  flows(first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        id\n        name\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): (typeof documents)["query Flows($first: Int, $after: String) {\n  flows(first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        id\n        name\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation LogIn($input: LogInInput!) {\n  logIn(input: $input) {\n    accessToken\n    refreshToken\n    user {\n      id\n      name\n      email\n    }\n  }\n}"): (typeof documents)["mutation LogIn($input: LogInInput!) {\n  logIn(input: $input) {\n    accessToken\n    refreshToken\n    user {\n      id\n      name\n      email\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Me {\n  me {\n    id\n    name\n  }\n}"): (typeof documents)["query Me {\n  me {\n    id\n    name\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Plans {\n  plans {\n    id\n    name\n    priceCents\n    interval\n  }\n}"): (typeof documents)["query Plans {\n  plans {\n    id\n    name\n    priceCents\n    interval\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SignUp($input: SignUpInput!) {\n  signUp(input: $input) {\n    accessToken\n    refreshToken\n    user {\n      id\n      name\n      email\n    }\n  }\n}"): (typeof documents)["mutation SignUp($input: SignUpInput!) {\n  signUp(input: $input) {\n    accessToken\n    refreshToken\n    user {\n      id\n      name\n      email\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;