import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { PageInfo } from '#internal/pagination';
import { User } from '../user/user.type.js';

@ObjectType({ description: 'A security event: log-ins, 2FA and session changes, workspace membership and roles.' })
export class AuditEvent {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'e.g. LOGIN_SUCCEEDED, LOGIN_FAILED, ROLE_CHANGED, SESSION_REVOKED.' })
  type!: string;

  @Field(() => Date)
  at!: Date;

  @Field(() => User, { nullable: true, description: 'Who did it; null when nobody was signed in.' })
  actor!: User | null;

  @Field(() => User, { nullable: true, description: 'Whom it concerned, when that is someone else.' })
  subject!: User | null;

  @Field(() => ID, { nullable: true })
  workspaceId!: string | null;

  @Field(() => String, { nullable: true, description: 'The client address the request came from.' })
  ip!: string | null;

  @Field(() => GraphQLJSON, {
    nullable: true,
    description: 'What changed, e.g. `{ "from": "VIEWER", "to": "EDITOR" }`.',
  })
  details!: unknown;

  actorId!: string | null;
  subjectId!: string | null;
}

@ObjectType()
export class AuditEventEdge {
  @Field(() => AuditEvent)
  node!: AuditEvent;

  @Field(() => String)
  cursor!: string;
}

@ObjectType()
export class AuditEventConnection {
  @Field(() => [AuditEventEdge])
  edges!: AuditEventEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
