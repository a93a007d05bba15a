import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { SearchMode } from '../../indexing/search.js';
import { KnowledgeDocument } from '../document/document.type.js';

registerEnumType(SearchMode, {
  name: 'SearchMode',
  description: 'HYBRID fuses VECTOR (embedding similarity) and KEYWORD (BM25) by reciprocal rank.',
});

@ObjectType({ description: 'A character range of a chunk’s text (UTF-16 offsets, end exclusive).' })
export class TextRange {
  @Field(() => Int)
  start!: number;

  @Field(() => Int)
  end!: number;
}

@ObjectType({ description: 'A passage of a document, as indexed.' })
export class KnowledgeChunk {
  @Field(() => String)
  text!: string;

  @Field(() => [String], { description: 'The headings it sits under, outermost first.' })
  headingPath!: string[];

  @Field(() => Int, { description: 'Where it starts in the document’s `text`.' })
  start!: number;

  @Field(() => Int, { description: 'Where it ends in the document’s `text` (exclusive).' })
  end!: number;

  @Field(() => Int, { description: 'The document version it is a chunk of.' })
  version!: number;
}

@ObjectType()
export class KnowledgeHit {
  @Field(() => KnowledgeDocument)
  document!: KnowledgeDocument;

  @Field(() => Float, { description: 'Higher is better; comparable only within one answer.' })
  score!: number;

  @Field(() => KnowledgeChunk, { nullable: true })
  chunk!: KnowledgeChunk | null;

  @Field(() => [TextRange], { description: 'Where the query’s words occur in `chunk.text`.' })
  highlights!: TextRange[];
}

@ObjectType({ description: 'A chunk given to the AI, with what a run needs to cite it.' })
export class RetrievedChunk {
  @Field(() => ID)
  documentId!: string;

  @Field(() => Int, { description: 'The document version the chunk is of.' })
  documentVersion!: number;

  @Field(() => String)
  title!: string;

  @Field(() => String)
  text!: string;

  @Field(() => [String])
  headingPath!: string[];

  @Field(() => Int)
  start!: number;

  @Field(() => Int)
  end!: number;

  @Field(() => Int, { description: 'Its length in cl100k_base tokens.' })
  tokens!: number;

  @Field(() => Float)
  score!: number;
}

@ObjectType({ description: "The caller's knowledge that best grounds a prompt, within a token budget." })
export class KnowledgeRetrieval {
  @Field(() => [RetrievedChunk], { description: 'Best first.' })
  chunks!: RetrievedChunk[];

  @Field(() => Int, { description: 'The tokens the chunks add up to (at most the budget).' })
  tokens!: number;
}
