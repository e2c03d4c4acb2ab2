/**
 * Klik's calls to the Bot Connector, all through the SDK's CloudAdapter: proactive sends and
 * updates continue a stored conversation reference (`continueConversationAsync`), 1:1 chats are
 * created with `createConversationAsync`, rosters come from `TeamsInfo.getPagedMembers`.
 * Failures become PlatformErrors (errors.ts). No retries here: the outbox owns them.
 */
import { type Activity, type CloudAdapter, type ConversationReference, TeamsInfo, type TurnContext } from 'botbuilder';
import type { TeamsConversationRef } from '../../db/repositories/teams-conversations.js';
import { mapTeamsErrors } from './errors.js';
import type { RosterAccount } from './users.js';

const TEAMS_CHANNEL = 'msteams';
const AUDIENCE = 'https://api.botframework.com';
const ROSTER_PAGE = 500;
const MAX_PAGES = 200;

export class TeamsConnector {
  constructor(
    private readonly adapter: CloudAdapter,
    /** MICROSOFT_APP_ID, or '' in local unauthenticated mode. */
    private readonly appId: string,
  ) {}

  private botAccount(ref: TeamsConversationRef) {
    return { id: ref.botId ?? (this.appId ? `28:${this.appId}` : 'klik'), name: 'Klik' };
  }

  reference(ref: TeamsConversationRef, replyToId?: string): Partial<ConversationReference> {
    return {
      channelId: TEAMS_CHANNEL,
      serviceUrl: ref.serviceUrl,
      bot: this.botAccount(ref),
      conversation: {
        id: ref.conversationId,
        tenantId: ref.tenantId,
        isGroup: ref.kind !== 'personal',
        conversationType: ref.kind,
        name: '',
      },
      ...(replyToId ? { activityId: replyToId } : {}),
    };
  }

  private run(ref: TeamsConversationRef, logic: (ctx: TurnContext) => Promise<void>, replyToId?: string) {
    return mapTeamsErrors(() =>
      this.adapter.continueConversationAsync(this.appId, this.reference(ref, replyToId), logic),
    );
  }

  /** Posts an activity in the conversation (as a reply to `replyToId` when given); returns its id. */
  async send(ref: TeamsConversationRef, activity: Partial<Activity>, replyToId?: string): Promise<string> {
    let id = '';
    await this.run(
      ref,
      async (ctx) => {
        const res = await ctx.sendActivity(activity);
        id = res?.id ?? '';
      },
      replyToId,
    );
    return id;
  }

  async update(ref: TeamsConversationRef, activityId: string, activity: Partial<Activity>): Promise<void> {
    await this.run(ref, async (ctx) => {
      await ctx.updateActivity({ ...activity, id: activityId, type: activity.type ?? 'message' });
    });
  }

  /** Creates (or finds: Teams returns the existing one) the 1:1 chat with a person. */
  async createPersonal(
    base: { serviceUrl: string; tenantId: string; botId?: string },
    userTeamsId: string,
  ): Promise<TeamsConversationRef> {
    let conversationId = '';
    const bot = { id: base.botId ?? (this.appId ? `28:${this.appId}` : 'klik'), name: 'Klik' };
    await mapTeamsErrors(() =>
      this.adapter.createConversationAsync(
        this.appId,
        TEAMS_CHANNEL,
        base.serviceUrl,
        AUDIENCE,
        {
          isGroup: false,
          bot,
          members: [{ id: userTeamsId, name: '' }],
          tenantId: base.tenantId,
          channelData: { tenant: { id: base.tenantId } },
          activity: undefined as unknown as Activity,
        },
        async (ctx) => {
          conversationId = ctx.activity.conversation?.id ?? '';
        },
      ),
    );
    if (!conversationId) throw new Error('createConversation returned no id');
    return {
      kind: 'personal',
      conversationId,
      serviceUrl: base.serviceUrl,
      tenantId: base.tenantId,
      ...(base.botId ? { botId: base.botId } : {}),
      userTeamsId,
    };
  }

  /** Everyone in the team of a channel (or in a chat), page by page. */
  async roster(ref: TeamsConversationRef): Promise<RosterAccount[]> {
    const out: RosterAccount[] = [];
    await this.run(ref, async (ctx) => {
      if (ref.teamId) ctx.activity.channelData = { ...(ctx.activity.channelData ?? {}), team: { id: ref.teamId } };
      let token: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const res = await TeamsInfo.getPagedMembers(ctx, ROSTER_PAGE, token);
        out.push(...((res.members ?? []) as RosterAccount[]));
        token = res.continuationToken || undefined;
        if (!token) break;
      }
    });
    return out;
  }

  /** One member of a conversation, by Bot Framework id. */
  async member(ref: TeamsConversationRef, userTeamsId: string): Promise<RosterAccount | null> {
    let found: RosterAccount | null = null;
    await this.run(ref, async (ctx) => {
      if (ref.teamId) ctx.activity.channelData = { ...(ctx.activity.channelData ?? {}), team: { id: ref.teamId } };
      found = (await TeamsInfo.getMember(ctx, userTeamsId)) as RosterAccount;
    });
    return found;
  }
}
