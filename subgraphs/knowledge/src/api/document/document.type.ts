import { Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PageInfo } from '#internal/pagination';
import { KnowledgeFormat } from '../../domain/documentText.js';
import { KnowledgeIndexStatus } from '../../domain/indexStatus.js';
import { User } from '../user/user.type.js';
import { Workspace } from '../workspace/workspace.type.js';

registerEnumType(KnowledgeFormat, {
  name: 'KnowledgeFormat',
  description:
    'How `content` is written: HTML is turned into text by a parser; scripts and styles never reach storage.',
});
registerEnumType(KnowledgeIndexStatus, {
  name: 'KnowledgeIndexStatus',
  description: 'PENDING: search does not find this version yet; INDEXED: it does; FAILED: see `indexError`.',
});

@ObjectType({ description: "A document of a knowledge base (personal or a workspace's), used to ground the AI." })
@Directive('@key(fields: "id")')
export class KnowledgeDocument {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  title!: string;

  @Field(() => String, { description: 'As it was given (for HTML, the markup).' })
  content!: string;

  @Field(() => String, { description: 'The content as plain text: what is searched and given to the AI.' })
  text!: string;

  @Field(() => KnowledgeFormat)
  format!: KnowledgeFormat;

  @Field(() => String, { nullable: true, description: 'Where it came from: a URL or a label.' })
  source!: string | null;

  @Field(() => [String])
  tags!: string[];

  @Field(() => Workspace, { nullable: true, description: 'The workspace it belongs to; null for a personal one.' })
  workspace!: Workspace | null;

  @Field(() => User, { description: 'Who added it.' })
  creator!: User;

  @Field(() => Int, { description: '1 when added, one more on every update.' })
  version!: number;

  @Field(() => KnowledgeIndexStatus)
  indexStatus!: KnowledgeIndexStatus;

  @Field(() => String, { nullable: true, description: 'Why indexing failed (FAILED only).' })
  indexError!: string | null;

  @Field(() => Int, { description: 'Chunks of the indexed version.' })
  chunkCount!: number;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;
}

@ObjectType()
export class KnowledgeDocumentEdge {
  @Field(() => KnowledgeDocument)
  node!: KnowledgeDocument;

  @Field(() => String)
  cursor!: string;
}

@ObjectType()
export class KnowledgeDocumentConnection {
  @Field(() => [KnowledgeDocumentEdge])
  edges!: KnowledgeDocumentEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@InputType()
export class AddKnowledgeInput {
  @Field(() => String, { description: '1 to 200 characters.' })
  title!: string;

  @Field(() => String, { description: 'The text, at most 1 MB (UTF-8).' })
  content!: string;

  @Field(() => KnowledgeFormat, { nullable: true, description: 'MARKDOWN unless given.' })
  format?: KnowledgeFormat | null;

  @Field(() => String, { nullable: true, description: 'Where it came from: a URL or a label (2000 characters).' })
  source?: string | null;

  @Field(() => [String], { nullable: true, description: 'At most 200, each 1 to 50 characters; kept lowercase.' })
  tags?: string[] | null;

  @Field(() => ID, { nullable: true, description: 'Add it to this workspace (needs EDITOR there).' })
  workspaceId?: string | null;
}

@InputType({ description: 'What to change; absent fields stay as they are. Any change makes a new version.' })
export class UpdateKnowledgeInput {
  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => String, { nullable: true })
  content?: string | null;

  @Field(() => KnowledgeFormat, { nullable: true })
  format?: KnowledgeFormat | null;

  @Field(() => String, { nullable: true, description: 'An empty string removes it.' })
  source?: string | null;

  @Field(() => [String], { nullable: true })
  tags?: string[] | null;
}

@InputType()
export class KnowledgeFilter {
  @Field(() => String, { nullable: true, description: 'Only documents with this tag.' })
  tag?: string | null;

  @Field(() => String, { nullable: true, description: 'Only documents whose title has every one of these words.' })
  titleWords?: string | null;
}
