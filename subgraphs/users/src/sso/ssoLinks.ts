import type { SsoIdentityModel, SsoIdentityRecord } from './ssoIdentity.model.js';

export type StoredLink = SsoIdentityRecord & { _id: unknown };

/** The links between our users and their accounts at sign-in providers. */
export class SsoLinks {
  constructor(private readonly identities: SsoIdentityModel) {}

  find(provider: string, subject: string): Promise<StoredLink | null> {
    return this.identities.findOne({ provider, subject }).lean();
  }

  /** Links a provider account to `userId`; the link's id. */
  async create(link: Omit<SsoIdentityRecord, 'createdAt'>): Promise<unknown> {
    const created = await this.identities.create({ ...link, createdAt: new Date() });
    return created._id;
  }

  async delete(id: unknown): Promise<void> {
    await this.identities.deleteOne({ _id: id });
  }

  /** Whether the user is still linked to `provider`: a sign-in through a link removed since is void. */
  async has(userId: string, provider: string): Promise<boolean> {
    return (await this.identities.exists({ userId, provider })) !== null;
  }

  /**
   * The user's links that whoever controls its email did not make. A link stored before
   * that was recorded counts as theirs only if the account had proven its email by then.
   */
  async notMadeByOwner(user: { id: string; emailVerified: boolean }): Promise<StoredLink[]> {
    const links = await this.identities.find({ userId: user.id }).lean();
    return links.filter(
      (link) => link.madeByOwner === false || (link.madeByOwner === undefined && !user.emailVerified),
    );
  }

  /** The user's links other than `keep`. */
  allBut(userId: string, keep: unknown): Promise<StoredLink[]> {
    return this.identities.find({ userId, _id: { $ne: keep } }).lean();
  }

  async remove(links: StoredLink[]): Promise<void> {
    if (links.length > 0) await this.identities.deleteMany({ _id: { $in: links.map((link) => link._id) } });
  }
}
