import {
  QueueSASPermissions,
  type QueueClient,
  type QueueServiceClient,
  type SignedIdentifier,
  type UserDelegationKey,
} from '@azure/storage-queue';

/**
 * The branches' only queue credential: a SAS that refers to the queue's one
 * stored access policy, which allows add and nothing else. Azure allows five
 * policies per queue, so every branch shares this one; revoking a single
 * branch is done with its key and token instead (the worker then rejects its
 * messages). The policy carries the expiry and is rolled forward as it nears
 * it; replacing it (`rotateBranchPolicy`) cuts off every SAS ever issued, and
 * honest tills get a working one with their next pull.
 *
 * Signed in with a managed identity (no account key), the API cannot sign a
 * SAS with the key: it issues user-delegation SAS instead, add only, signed
 * with a key Microsoft Entra hands out for at most seven days. Those cannot
 * name a stored policy, so there is none to replace: each SAS expires with
 * its delegation key, within a week, and cutting all of them off at once is
 * done in Azure (revoking the account's user delegation keys, or the API's
 * role), not here.
 */
export const BRANCH_POLICY_PREFIX = 'branch-add';
const POLICY_DAYS = 30;
const RENEW_WHEN_DAYS_LEFT = 15;
const DAY_MS = 24 * 3600 * 1000;
/** Entra gives a delegation key for seven days at most; a fresh one each day keeps every SAS good for six. */
const DELEGATION_KEY_DAYS = 7;
const RENEW_DELEGATION_KEY_MS = DAY_MS;
/** Clocks differ: a SAS starts a little in the past. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

/** How the API signs branch SAS: with the account key and the shared policy, or with a delegation key. */
export type SasSigning = 'account-key' | 'user-delegation';

/** Replacing the shared policy needs the account key; with a managed identity there is no policy. */
export class PolicyRotationUnavailable extends Error {}

export interface BranchSasOptions {
  /** 'account-key' unless told otherwise. */
  readonly signing?: SasSigning;
  /** The queue's service, signed in with a token: needed for user-delegation SAS. */
  readonly service?: QueueServiceClient;
  readonly now?: () => number;
}

export class BranchSas {
  private checked: { id: string; until: number } | undefined;
  private delegation: { key: UserDelegationKey; renewAt: number } | undefined;
  private readonly now: () => number;
  readonly signing: SasSigning;

  constructor(
    private readonly queue: QueueClient,
    private readonly opts: BranchSasOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.signing = opts.signing ?? 'account-key';
    if (this.signing === 'user-delegation' && !opts.service) {
      throw new Error('branch SAS without an account key need the queue service signed in with a token');
    }
  }

  /** A fresh add-only SAS URL, making or renewing the shared policy (or the delegation key) when needed. */
  async url(): Promise<string> {
    if (this.signing === 'user-delegation') return this.delegatedUrl();
    const id = await this.currentPolicy();
    return this.queue.generateSasUrl({ identifier: id });
  }

  private async delegatedUrl(): Promise<string> {
    const now = this.now();
    if (!this.delegation || this.delegation.renewAt <= now) {
      const key = await this.opts.service!.getUserDelegationKey(
        new Date(now - CLOCK_SKEW_MS),
        new Date(now + DELEGATION_KEY_DAYS * DAY_MS),
      );
      this.delegation = { key, renewAt: now + RENEW_DELEGATION_KEY_MS };
    }
    const { key } = this.delegation;
    return this.queue.generateUserDelegationSasUrl(
      {
        permissions: QueueSASPermissions.parse('a'),
        startsOn: new Date(now - CLOCK_SKEW_MS),
        expiresOn: key.signedExpiresOn,
      },
      key,
    );
  }

  /** Replaces the shared policy: every SAS issued so far stops working. */
  async rotateBranchPolicy(): Promise<string> {
    if (this.signing === 'user-delegation') {
      throw new PolicyRotationUnavailable(
        'signed in without an account key, branch SAS are user-delegation SAS with no shared policy to replace; ' +
          'they expire within 7 days, and revoking the storage account’s user delegation keys cuts them all off now',
      );
    }
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
