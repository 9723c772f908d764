import type { QueueClient, SignedIdentifier } from '@azure/storage-queue';

/**
 * The branches' only queue credential: a SAS that refers to the queue's one
 * stored access policy, which allows add and nothing else. Azure allows five
 * policies per queue, so every branch shares this one; revoking a single
 * branch is done with its key and token instead (the worker then rejects its
 * messages). The policy carries the expiry and is rolled forward as it nears
 * it; replacing it (`rotateBranchPolicy`) cuts off every SAS ever issued, and
 * honest tills get a working one with their next pull.
 */
export const BRANCH_POLICY_PREFIX = 'branch-add';
const POLICY_DAYS = 30;
const RENEW_WHEN_DAYS_LEFT = 15;
const DAY_MS = 24 * 3600 * 1000;

export class BranchSas {
  private checked: { id: string; until: number } | undefined;

  constructor(
    private readonly queue: QueueClient,
    private readonly now: () => number = Date.now,
  ) {}

  /** A fresh add-only SAS URL, making or renewing the shared policy when needed. */
  async url(): Promise<string> {
    const id = await this.currentPolicy();
    return this.queue.generateSasUrl({ identifier: id });
  }

  /** Replaces the shared policy: every SAS issued so far stops working. */
  async rotateBranchPolicy(): Promise<string> {
    const { others } = await this.readPolicies();
    const id = `${BRANCH_POLICY_PREFIX}-${this.now().toString(36)}`;
    await this.queue.setAccessPolicy([...others, this.policy(id)]);
    this.checked = undefined;
    return id;
  }

  private policy(id: string): SignedIdentifier {
    return { id, accessPolicy: { permissions: 'a', expiresOn: new Date(this.now() + POLICY_DAYS * DAY_MS) } };
  }

  private async readPolicies() {
    const acl = (await this.queue.getAccessPolicy()).signedIdentifiers;
    const ours = acl.find((s) => s.id.startsWith(BRANCH_POLICY_PREFIX));
    return { ours, others: acl.filter((s) => s !== ours) };
  }

  private async currentPolicy(): Promise<string> {
    // Reading the ACL on every pull would cost a billed call each. A minute's
    // cache is safe for renewal (it starts fifteen days ahead) and bounds how
    // long another API process hands out a policy that was just rotated away.
    if (this.checked && this.checked.until > this.now()) return this.checked.id;
    const { ours, others } = await this.readPolicies();
    let id = ours?.id;
    const expires = ours?.accessPolicy?.expiresOn?.getTime() ?? 0;
    const addOnly = ours?.accessPolicy?.permissions === 'a';
    if (!id || !addOnly || expires - this.now() < RENEW_WHEN_DAYS_LEFT * DAY_MS) {
      id = id && addOnly ? id : `${BRANCH_POLICY_PREFIX}-${this.now().toString(36)}`;
      await this.queue.setAccessPolicy([...others, this.policy(id)]);
    }
    this.checked = { id, until: this.now() + 60_000 };
    return id;
  }
}
