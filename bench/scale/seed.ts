// Seeds the engine directly, shaped exactly like the subgraphs store it: users, workspaces
// and memberships (users subgraph), flow records and their listing copies (flows subgraph).
// The caller, their first workspace and one flow come from the API; everything else is
// inserted here, and the flows grow step by step to each measured size.
import mongoose from 'mongoose';
import { listingText } from './content.js';

const { ObjectId } = mongoose.mongo;
type Db = mongoose.mongo.Db;
type Document = mongoose.mongo.Document;

export const WORKSPACES = 500;
/** Flows in the measured workspace at the least: a full page of 20 and a next page. */
export const MEASURED_AT_LEAST = 21;
/** Seeded workspaces the caller also belongs to (their page filter covers several workspaces). */
const CALLER_EXTRA_WORKSPACES = 4;
const BATCH = 1_000;

export interface SeedTarget {
  usersDb: Db;
  flowsDb: Db;
  callerId: string;
  /** The caller's workspace, made through the API: the one whose page is measured. */
  workspaceId: string;
  /** A flow made through the API in that workspace (it counts towards the workspace's share). */
  flowId: string;
}

/** What the seeder built around the caller, and how many flows are in. */
export class ScaleSeeder {
  private readonly counts = new Array<number>(WORKSPACES).fill(0);
  private readonly owners: string[][] = [];
  private readonly workspaceIds: string[] = [];
  private flowVersion = 1;
  private total = 1;
  private serial = 0;

  constructor(private readonly target: SeedTarget) {
    this.counts[0] = 1;
  }

  /** The workspaces the caller belongs to, theirs first. */
  get callerWorkspaces(): string[] {
    return this.workspaceIds.slice(0, CALLER_EXTRA_WORKSPACES + 1);
  }

  /** Inserted flows so far (with the API's one). */
  get flows(): number {
    return this.total;
  }

  /**
   * The other 499 workspaces with an OWNER and an EDITOR each, two more editors in the
   * caller's workspace, and the caller as EDITOR in a few others. Each seeded document is
   * checked against the one the API wrote, key for key.
   */
  async prepare(): Promise<void> {
    const { usersDb, flowsDb, callerId, workspaceId, flowId } = this.target;
    const users = usersDb.collection('users');
    const caller = await users.findOne({ _id: new ObjectId(callerId) });
    const apiWorkspace = await usersDb.collection('workspaces').findOne({ _id: new ObjectId(workspaceId) });
    const apiMembership = await usersDb.collection('memberships').findOne({ workspaceId, userId: callerId });
    const apiFlow = await flowsDb.collection('flows').findOne({ _id: new ObjectId(flowId) });
    const apiListing = await listingOf(flowsDb, flowId);
    const found = {
      user: caller,
      workspace: apiWorkspace,
      membership: apiMembership,
      flow: apiFlow,
      'listing copy': apiListing,
    };
    const missing = Object.entries(found).filter(([, doc]) => !doc);
    if (!caller || !apiWorkspace || !apiMembership || !apiFlow || !apiListing) {
      throw new Error(`the API's records were not found: ${missing.map(([name]) => name).join(', ')}`);
    }
    this.flowVersion = Number(apiFlow['version']);

    const now = new Date();
    const newUser = (): Document => {
      this.serial += 1;
      return {
        _id: new ObjectId(),
        email: `scale-${this.serial}@example.com`,
        name: `Scale User ${this.serial}`,
        passwordHash: caller['passwordHash'] as string,
        hasPassword: true,
        emailVerified: true,
        createdByProvider: null,
        twoFactorEnabled: false,
        twoFactorSecret: null,
        twoFactorPendingSecret: null,
        twoFactorResetAt: null,
        createdAt: now,
        __v: 0,
      };
    };
    const membership = (ws: string, userId: string, role: string): Document => ({
      _id: new ObjectId(),
      workspaceId: ws,
      userId,
      role,
      createdAt: now,
    });
    const userDocs: Document[] = [];
    const workspaceDocs: Document[] = [];
    const memberships: Document[] = [];
    for (let index = 0; index < WORKSPACES; index += 1) {
      const [first, second] = [newUser(), newUser()];
      userDocs.push(first, second);
      const [a, b] = [String(first['_id']), String(second['_id'])];
      if (index === 0) {
        this.workspaceIds.push(workspaceId);
        this.owners.push([callerId, a, b]);
        memberships.push(membership(workspaceId, a, 'EDITOR'), membership(workspaceId, b, 'EDITOR'));
        continue;
      }
      const id = new ObjectId();
      workspaceDocs.push({ _id: id, name: `Workspace ${index}`, createdAt: now, updatedAt: now });
      this.workspaceIds.push(String(id));
      this.owners.push([a, b]);
      memberships.push(membership(String(id), a, 'OWNER'), membership(String(id), b, 'EDITOR'));
      if (index <= CALLER_EXTRA_WORKSPACES) memberships.push(membership(String(id), callerId, 'EDITOR'));
    }
    sameShape('user', caller, userDocs[0]);
    sameShape('workspace', apiWorkspace, workspaceDocs[0]);
    sameShape('membership', apiMembership, memberships[0]);
    sameShape('flow', apiFlow, this.flowDoc(0, 0, now));
    sameShape('listing copy', apiListing, this.listingDoc(flowId));

    await insertAll(users, userDocs);
    await insertAll(usersDb.collection('workspaces'), workspaceDocs);
    await insertAll(usersDb.collection('memberships'), memberships);
  }

  /**
   * Inserts what `size` flows need beyond what is in: an equal share per workspace, except
   * that the measured one (index 0) holds at least `MEASURED_AT_LEAST`, so that its page is a
   * full page at every size and only the database grows between sizes.
   */
  async growTo(size: number, progress: (inserted: number) => void): Promise<void> {
    if (size % WORKSPACES !== 0) throw new Error(`sizes must be multiples of ${WORKSPACES}: ${size}`);
    const equal = size / WORKSPACES;
    const shareOf = (ws: number): number => (ws === 0 ? Math.max(MEASURED_AT_LEAST, equal) : equal);
    const flows = this.target.flowsDb.collection('flows');
    const listings = this.target.flowsDb.collection<{ _id: string }>('flow_listing_contents');
    // Round-robin over the workspaces, so that each workspace's flows are spread over the
    // whole id range like flows created over time.
    const pending: [number, number][] = [];
    for (let round = 0; ; round += 1) {
      let any = false;
      for (let ws = 0; ws < WORKSPACES; ws += 1) {
        const has = this.counts[ws] ?? 0;
        if (has + round < shareOf(ws)) {
          pending.push([ws, has + round]);
          any = true;
        }
      }
      if (!any) break;
    }
    for (let start = 0; start < pending.length; start += BATCH) {
      const now = new Date();
      const batch = pending.slice(start, start + BATCH).map(([ws, nth]) => this.flowDoc(ws, nth, now));
      await insertAll(flows, batch);
      await insertAll(
        listings,
        batch.map((doc) => this.listingDoc(String(doc['_id']))),
      );
      this.total += batch.length;
      progress(this.total);
    }
    for (let ws = 0; ws < WORKSPACES; ws += 1) this.counts[ws] = shareOf(ws);
  }

  private flowDoc(ws: number, nth: number, now: Date): Document {
    const owners = this.owners[ws] ?? [];
    return {
      _id: new ObjectId(),
      name: `Flow ${ws}-${nth}`,
      description: nth % 3 === 0 ? null : 'Checkout path for returning customers',
      ownerId: owners[nth % owners.length] ?? this.target.callerId,
      workspaceId: this.workspaceIds[ws] ?? null,
      deletedAt: null,
      version: this.flowVersion,
      createdAt: now,
      updatedAt: now,
    };
  }

  private listingDoc(flowId: string): { _id: string; version: number; content: string } {
    return { _id: flowId, version: this.flowVersion, content: LISTING };
  }
}

const LISTING = listingText();

/** The flow's listing copy, written shortly after its last accepted write. */
async function listingOf(flowsDb: Db, flowId: string): Promise<Document | null> {
  const listings = flowsDb.collection<{ _id: string }>('flow_listing_contents');
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const found = await listings.findOne({ _id: flowId });
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return null;
}

async function insertAll<T extends Document>(
  collection: mongoose.mongo.Collection<T>,
  docs: Document[],
): Promise<void> {
  for (let start = 0; start < docs.length; start += BATCH) {
    const batch = docs.slice(start, start + BATCH) as mongoose.mongo.OptionalUnlessRequiredId<T>[];
    await collection.insertMany(batch, { ordered: false });
  }
}

/** Throws unless `seeded` has exactly the keys of the document the API wrote. */
function sameShape(what: string, written: Document, seeded: Document | undefined): void {
  const keys = (doc: Document | undefined): string =>
    Object.keys(doc ?? {})
      .sort()
      .join(', ');
  if (keys(written) !== keys(seeded)) {
    throw new Error(`a seeded ${what} is not shaped like the API's: {${keys(seeded)}} vs {${keys(written)}}`);
  }
}
