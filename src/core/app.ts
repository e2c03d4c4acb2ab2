/**
 * Klik's core: takes normalised input from any adapter and returns neutral replies.
 * Everything it sends to others goes through the outbox in the same transaction as the change.
 */
import { DateTime } from 'luxon';
import { translator } from '../messages/i18n.js';
import { msg } from '../messages/model.js';
import { parseCommand } from './commands/parse.js';
import type { CommandName, LocalDate, ParsedCommand, ParseFailure } from './commands/types.js';
import { type KlikDefaults, type RequestContext, resolveContext } from './context.js';
import { StoreUnavailableError } from './errors.js';
import { helpMessage } from './help.js';
import type { ActionInput, CommandInput, FormSubmission, MemberEvent, Reply } from './inputs.js';
import { isLinkAction } from './link-actions.js';
import { isMeetingAction, isMeetingForm, meetingAction, meetingForm } from './meetings/actions.js';
import { avoidCommand } from './members/avoid.js';
import { handleMemberEvent } from './members/channel-events.js';
import { joinCommand, leaveCommand, pauseCommand, resumeCommand, resumeMember } from './members/membership.js';
import { openProfileForm, PROFILE_FORM, PROFILE_OPEN, submitProfileForm } from './members/profile.js';
import { type ChannelStateEvent, handleChannelState } from './networks/channel-state.js';
import { COORDINATOR_TAKE_OVER, coordinatorCommand, takeOverCoordination } from './networks/coordinators.js';
import { pauseNetworkCommand, skipRoundCommand } from './networks/life-cycle.js';
import { orgAdd, orgList } from './networks/organisations.js';
import { settingsCommand } from './networks/settings.js';
import { openSettingsForm, SETTINGS_EDIT, SETTINGS_FORM, submitSettingsForm } from './networks/settings-form.js';
import { cancelSetup, confirmSetup, SETUP_CANCEL, SETUP_CONFIRM, setupCommand } from './networks/setup.js';
import { pauseFromQuietNudge, QUIET_PAUSE } from './nudges/quiet-member.js';
import { openPollForm, pollCommand, submitPollForm } from './polls/create.js';
import { POLL_CLOSE, POLL_FINALIZE, POLL_FORM, POLL_FORM_OPEN, POLL_VOTE } from './polls/ids.js';
import { closePollAction, finalizePoll } from './polls/manage.js';
import { votePoll } from './polls/vote.js';
import type { ChatPlatform, Clock, Logger, Store } from './ports.js';
import { cancelForget, confirmForget, FORGET_CANCEL, FORGET_CONFIRM, forgetMeCommand } from './privacy/forget-me.js';
import type { MyDataLinks } from './privacy/links.js';
import { myDataCommand } from './privacy/my-data.js';
import { answerCheckIn, NOTE_FORM, submitNote } from './rounds/check-in.js';
import { CHECKIN_ANSWER } from './rounds/messages.js';
import { pairNowCommand } from './rounds/pair-now.js';
import { MEMBER_RESUME } from './rounds/run-round.js';
import type { JobDefinition } from './schedule/jobs.js';
import type { StatsAccess } from './stats/access.js';
import { apiTokenCommand, dashboardCommand, statsCommand } from './stats/commands.js';
import { type ExportLinks, exportCommand } from './tips/export.js';
import { ASK_ANSWER, ASK_FORM, askCommand, openAnswerForm, submitAnswer } from './tips/questions.js';
import {
  deleteTip,
  moreTips,
  openTipForm,
  submitTipForm,
  TIP_DELETE,
  TIP_EDIT,
  TIP_FORM,
  TIP_UNDO,
  TIP_UPVOTE,
  TIPS_MORE,
  tipCommand,
  tipsCommand,
  undoTip,
  upvoteTip,
} from './tips/tips.js';
import type { Locale, Platform } from './types.js';

export interface KlikDeps {
  store: Store;
  platforms: Partial<Record<Platform, ChatPlatform>>;
  clock: Clock;
  logger: Logger;
  defaults: KlikDefaults;
  /** Scheduled jobs that have a handler: `settings` lists their next slots. */
  scheduledJobs: JobDefinition[];
  /** Signed download links for `export`; without them `export` says it is not available. */
  exportLinks?: ExportLinks;
  /** Dashboard links and API tokens; without them `dashboard` and `settings api-token` say so. */
  statsAccess?: StatsAccess;
  /** Single-use download links for `my-data`; without them the reply has no download. */
  myDataLinks?: MyDataLinks;
}

export interface Klik {
  handleCommand(input: CommandInput): Promise<Reply>;
  handleAction(input: ActionInput): Promise<Reply>;
  handleForm(input: FormSubmission): Promise<Reply>;
  handleMemberEvent(input: MemberEvent): Promise<void>;
  /** A channel was archived, deleted or unarchived. */
  handleChannelState(input: ChannelStateEvent): Promise<void>;
}

const USAGE: Partial<Record<CommandName, Parameters<ReturnType<typeof translator>>[0]>> = {
  settings: 'usage.settings',
  coordinator: 'usage.coordinator',
  avoid: 'usage.avoid',
  org: 'usage.org',
  pause: 'usage.pause',
  'pause-network': 'usage.pauseNetwork',
  tip: 'usage.tip',
  ask: 'usage.ask',
  poll: 'usage.poll',
};

const toLocale = (platformLocale: string): Locale | undefined => {
  const lang = platformLocale.slice(0, 2).toLowerCase();
  return lang === 'nl' || lang === 'en' ? lang : undefined;
};

function todayIn(now: Date, timezone: string): LocalDate {
  const d = DateTime.fromJSDate(now, { zone: timezone });
  return { year: d.year, month: d.month, day: d.day };
}

export function createKlik(deps: KlikDeps): Klik {
  const { store, clock, logger, defaults } = deps;
  const platformOf = (p: Platform) => deps.platforms[p];

  /** Runs a unit of work; an unexpected error becomes a short message in the member's language. */
  async function guarded(locale: Locale | undefined, what: string, fn: () => Promise<Reply>): Promise<Reply> {
    try {
      return await fn();
    } catch (err) {
      const message = msg(translator(locale ?? defaults.locale)('error.generic'));
      if (err instanceof StoreUnavailableError) {
        // Nothing was done: the adapter may run the same request again once the database answers.
        logger.warn({ err: errorSummary(err), what }, 'request failed: database unavailable');
        return { kind: 'message', message, unavailable: true };
      }
      logger.error({ err: errorSummary(err), what }, 'request failed');
      return { kind: 'message', message };
    }
  }

  function failureReply(ctx: RequestContext, failure: ParseFailure): Reply {
    if (failure.reason === 'empty') return ctx.reply('error.empty');
    if (failure.reason === 'unknown')
      return ctx.reply('error.unknownCommand', { input: (failure.input ?? '').slice(0, 40) });
    const usageKey = failure.command ? USAGE[failure.command] : undefined;
    return ctx.reply('error.malformed', { usage: ctx.t(usageKey ?? 'usage.help') });
  }

  async function runCommand(ctx: RequestContext, cmd: ParsedCommand, input: CommandInput, now: Date): Promise<Reply> {
    switch (cmd.name) {
      case 'help':
        return { kind: 'message', message: helpMessage(ctx.locale) };
      case 'setup':
        return setupCommand(ctx, input, defaults, now);
      case 'settings':
        if (cmd.key?.toLowerCase() === 'api-token') return apiTokenCommand(ctx, deps.statsAccess, cmd.value, now);
        return settingsCommand(ctx, cmd, deps.scheduledJobs, now);
      case 'coordinator':
        return coordinatorCommand(ctx, cmd);
      case 'avoid':
        return avoidCommand(ctx, cmd);
      case 'org':
        return cmd.op === 'add' ? orgAdd(ctx, cmd.orgName) : orgList(ctx);
      case 'profile':
        return input.isDirect ? ctx.reply('profile.needNetwork') : openProfileForm(ctx, null);
      case 'pair-now':
        return pairNowCommand(ctx, now);
      case 'join':
        return joinCommand(ctx, now);
      case 'leave':
        return leaveCommand(ctx, now);
      case 'pause':
        return pauseCommand(ctx, cmd.until, now);
      case 'resume':
        return resumeCommand(ctx, now);
      case 'skip-round':
        return skipRoundCommand(ctx);
      case 'pause-network':
        return pauseNetworkCommand(ctx, cmd.until, now);
      case 'tip':
        return tipCommand(ctx, cmd.text, now);
      case 'tips':
        return tipsCommand(ctx, cmd.query);
      case 'ask':
        return askCommand(ctx, cmd.question, now);
      case 'export':
        return exportCommand(ctx, deps.exportLinks, now);
      case 'stats':
        return statsCommand(ctx, now);
      case 'dashboard':
        return dashboardCommand(ctx, deps.statsAccess, now);
      case 'my-data':
        return myDataCommand(ctx, deps.myDataLinks, now);
      case 'forget-me':
        return forgetMeCommand(ctx);
      case 'poll':
        return pollCommand(ctx, cmd, now);
      default:
        return ctx.reply('error.notYet', { command: (cmd as ParsedCommand).name });
    }
  }

  return {
    async handleCommand(input) {
      const platform = platformOf(input.installation.platform);
      return guarded(undefined, 'command', () =>
        store.transaction(async (tx) => {
          const now = clock.now();
          const ctx = await resolveContext(tx, input.installation, input.actor, input.channelId, platform, defaults);
          const timezone = ctx.network?.timezone ?? defaults.timezone;
          // Today in the network's zone only for commands that read a date: most never ask.
          let today: ReturnType<typeof todayIn> | undefined;
          const parsed = parseCommand(input.text, {
            get today() {
              today ??= todayIn(now, timezone);
              return today;
            },
          });
          if (!parsed.ok) return failureReply(ctx, parsed);
          return runCommand(ctx, parsed.command, input, now);
        }),
      );
    },

    async handleAction(input) {
      const platform = platformOf(input.installation.platform);
      return guarded(undefined, 'action', () =>
        store.transaction(async (tx) => {
          const now = clock.now();
          const ctx = await resolveContext(tx, input.installation, input.actor, input.channelId, platform, defaults);
          if (isLinkAction(input.actionId)) return { kind: 'none' };
          if (isMeetingAction(input.actionId)) return meetingAction(ctx, input.actionId, input.value, now);
          switch (input.actionId) {
            case SETUP_CONFIRM:
              return confirmSetup(ctx, input.value, now);
            case SETUP_CANCEL:
              return cancelSetup(ctx, input.value);
            case SETTINGS_EDIT:
              return openSettingsForm(ctx, input.value);
            case PROFILE_OPEN:
              return openProfileForm(ctx, input.value);
            case CHECKIN_ANSWER:
              return answerCheckIn(ctx, input.value, now);
            case QUIET_PAUSE:
              return pauseFromQuietNudge(ctx, input.value, now);
            case COORDINATOR_TAKE_OVER:
              return takeOverCoordination(ctx, input.value);
            case MEMBER_RESUME:
              return resumeMember(ctx, input.value, now);
            case TIP_UNDO:
              return undoTip(ctx, input.value);
            case TIP_EDIT:
              return openTipForm(ctx, input.value);
            case TIP_DELETE:
              return deleteTip(ctx, input.value);
            case TIP_UPVOTE:
              return upvoteTip(ctx, input.value);
            case TIPS_MORE:
              return moreTips(ctx, input.value);
            case ASK_ANSWER:
              return openAnswerForm(ctx, input.value);
            case FORGET_CONFIRM:
              return confirmForget(ctx, input.value, now);
            case FORGET_CANCEL:
              return cancelForget(ctx, input.value);
            case POLL_VOTE:
              return votePoll(ctx, input.value, now);
            case POLL_CLOSE:
              return closePollAction(ctx, input.value, now);
            case POLL_FINALIZE:
              return finalizePoll(ctx, input.value, now);
            case POLL_FORM_OPEN:
              return openPollForm(ctx, input.value);
            default:
              logger.warn({ actionId: input.actionId.slice(0, 60) }, 'unknown action');
              return { kind: 'message', message: ctx.message('error.expired') };
          }
        }),
      );
    },

    async handleForm(input) {
      const platform = platformOf(input.installation.platform);
      return guarded(input.actor.locale ? toLocale(input.actor.locale) : undefined, 'form', () =>
        store.transaction(async (tx) => {
          const ctx = await resolveContext(tx, input.installation, input.actor, null, platform, defaults);
          if (isMeetingForm(input.formId))
            return meetingForm(ctx, input.formId, input.state, input.values, clock.now());
          switch (input.formId) {
            case SETTINGS_FORM:
              return submitSettingsForm(ctx, input.state, input.values);
            case PROFILE_FORM:
              return submitProfileForm(ctx, input.state, input.values);
            case NOTE_FORM:
              return submitNote(ctx, input.state, input.values);
            case TIP_FORM:
              return submitTipForm(ctx, input.state, input.values, clock.now());
            case ASK_FORM:
              return submitAnswer(ctx, input.state, input.values, clock.now());
            case POLL_FORM:
              return submitPollForm(ctx, input.state, input.values, clock.now());
            default:
              logger.warn({ formId: input.formId.slice(0, 60) }, 'unknown form');
              return ctx.reply('error.expired');
          }
        }),
      );
    },

    async handleChannelState(input) {
      try {
        await handleChannelState(deps, input);
      } catch (err) {
        logger.error({ err: errorSummary(err), what: 'channel-state' }, 'channel state event failed');
      }
    },

    async handleMemberEvent(input) {
      try {
        await handleMemberEvent(deps, input);
      } catch (err) {
        logger.error({ err: errorSummary(err), what: 'member-event' }, 'member event failed');
      }
    },
  };
}

/** What may be logged of an error: its class and code, never message text or payloads. */
export function errorSummary(err: unknown): { type: string; code?: string; stack?: string } {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return {
      type: err.name,
      ...(typeof code === 'string' ? { code } : {}),
      ...(err.stack ? { stack: err.stack.split('\n').slice(1, 6).join('\n') } : {}),
    };
  }
  return { type: typeof err };
}
