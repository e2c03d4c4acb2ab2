/** `settings`: show every setting and the next scheduled messages; `settings <key> <value>` changes one. */
import { dayName, formatDateTime, formatLongDate } from '../../messages/i18n.js';
import { actions, button, context, fields, type Message, section } from '../../messages/model.js';
import { isCoordinator, type RequestContext } from '../context.js';
import type { Reply } from '../inputs.js';
import { rhythmForecast } from '../nudges/rhythm.js';
import type { JobDefinition } from '../schedule/jobs.js';
import { upcomingSlots } from '../schedule/upcoming.js';
import { type Network, NUDGE_KINDS } from '../types.js';
import { allowedText, SETTINGS_EDIT } from './settings-form.js';
import { parseSetting, SETTING_KEYS, type SettingKey } from './settings-keys.js';

const UPCOMING = 5;
const FORECAST_DAYS = 800;

function settingsMessage(
  ctx: RequestContext,
  network: Network,
  jobs: JobDefinition[],
  now: Date,
  wouldSend?: (kind: string, at: Date) => boolean,
): Message {
  const { t, locale } = ctx;
  const onOff = (b: boolean) => (b ? t('settings.on') : t('settings.off'));
  const nudges = NUDGE_KINDS.map((k) => `${k} ${onOff(network.nudges[k])}`).join(', ');
  const rows: Array<[SettingKey, string]> = [
    ['purpose', network.purpose || '–'],
    ['locale', network.locale],
    ['timezone', network.timezone],
    ['cadence', `${t(`value.cadence.${network.cadence}`)} (${network.cadence})`],
    ['day', `${dayName(network.day, locale)} (${network.day})`],
    ['time', network.time],
    ['group-size', String(network.groupSize)],
    ['pool', `${t(`value.pool.${network.pool}`)} (${network.pool})`],
    ['rhythm', String(network.rhythmWeeks)],
    ['digest', network.digest === 'off' ? t('settings.off') : dayName(network.digest, locale)],
    ['quiet-hours', `${network.quietHours.start}-${network.quietHours.end}`],
    ['post-new-tips', onOff(network.postNewTips)],
    ['share-notes', onOff(network.shareNotes)],
    ['nudge', nudges],
  ];
  const upcoming = upcomingSlots(network, jobs, now, UPCOMING, wouldSend);
  const jobLabel = (kind: string) =>
    kind === 'pairing' ||
    kind === 'check-in' ||
    kind === 'digest' ||
    kind === 'rhythm' ||
    kind === 'milestones' ||
    kind === 'anniversary'
      ? t(`job.${kind}`)
      : kind;
  const upcomingText =
    upcoming.length === 0
      ? t('settings.upcoming.none')
      : upcoming.map((u) => `• ${formatDateTime(u.at, locale, network.timezone)}: ${jobLabel(u.kind)}`).join('\n');
  const paused =
    network.pausedUntil && network.pausedUntil > now
      ? [context(t('settings.paused', { until: formatLongDate(network.pausedUntil, locale, network.timezone) }))]
      : [];
  return {
    text: t('settings.title', { name: network.name }),
    blocks: [
      { type: 'header', text: t('settings.title', { name: network.name }) },
      fields(rows.map(([key, value]) => ({ label: `${t(`settings.key.${key}`)} (${key})`, value }))),
      ...paused,
      section(`${t('settings.upcoming')}\n${upcomingText}`),
      actions(button(t('settings.edit'), SETTINGS_EDIT, network.id, 'primary')),
      context(t('settings.changeHint')),
    ],
  };
}

export async function settingsCommand(
  ctx: RequestContext,
  input: { key?: string; value?: string },
  jobs: JobDefinition[],
  now: Date,
): Promise<Reply> {
  const network = ctx.network;
  if (!network) return ctx.reply('error.noNetwork');
  if (!(await isCoordinator(ctx, network))) return ctx.reply('error.coordinatorOnly');
  if (!input.key) {
    // The rhythm nudge asks only when no meeting is planned within its window and no poll is open.
    const rhythm = await rhythmForecast(ctx.tx, network, now, new Date(now.getTime() + FORECAST_DAYS * 86_400_000));
    const wouldSend = (kind: string, at: Date) => kind !== 'rhythm' || rhythm(at);
    return { kind: 'message', message: settingsMessage(ctx, network, jobs, now, wouldSend) };
  }

  const result = parseSetting(input.key, input.value, network);
  if (!result.ok) {
    if (result.error === 'unknown_key') {
      return ctx.reply('settings.unknownKey', { key: result.key, keys: SETTING_KEYS.join(', ') });
    }
    const allowed = allowedText(ctx, result.key);
    return result.error === 'missing_value'
      ? ctx.reply('settings.missingValue', { key: result.key, allowed })
      : ctx.reply('settings.invalid', { key: result.key, value: result.value, allowed });
  }
  await ctx.tx.networks.updateSettings(ctx.installation.id, network.id, result.patch);
  // A change of language answers in the new language when the member has none of their own.
  const t = result.patch.locale && !ctx.member.locale ? ctx.translatorFor(result.patch.locale) : ctx.t;
  const text = t('settings.updated', { key: result.key, value: result.display });
  return { kind: 'message', message: { text, blocks: [section(text)] } };
}
