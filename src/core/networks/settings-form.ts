/**
 * The settings form: the same keys as `settings <key> <value>`, for coordinators on a phone who
 * would rather tap than type. Each field goes through the same validation as the command.
 */

import { dayName } from '../../messages/i18n.js';
import type { Form, FormField, SelectOption } from '../../messages/model.js';
import { isCoordinator, type RequestContext } from '../context.js';
import type { Reply } from '../inputs.js';
import { CADENCES, type Network, type NetworkSettings, NUDGE_KINDS, POOLS, WEEKDAYS } from '../types.js';
import { parseSetting, SETTING_KEYS, type SettingKey } from './settings-keys.js';

export const SETTINGS_EDIT = 'settings.edit';
export const SETTINGS_FORM = 'settings.form';

type FormKey = Exclude<SettingKey, 'nudge'>;

/** The keys the form edits, in the order shown. `nudge` stays a command (one switch per kind). */
const FORM_KEYS: readonly FormKey[] = SETTING_KEYS.filter((k): k is FormKey => k !== 'nudge');

/** What a key accepts, in the member's language. */
export function allowedText(ctx: RequestContext, key: SettingKey): string {
  const { t } = ctx;
  switch (key) {
    case 'post-new-tips':
    case 'share-notes':
      return t('settings.allowed.onoff');
    case 'nudge':
      return t('settings.allowed.nudge', { kinds: NUDGE_KINDS.join(', ') });
    default:
      return t(`settings.allowed.${key}`);
  }
}

function currentValue(network: Network, key: FormKey): string {
  switch (key) {
    case 'purpose':
      return network.purpose;
    case 'locale':
      return network.locale;
    case 'timezone':
      return network.timezone;
    case 'cadence':
      return network.cadence;
    case 'day':
      return network.day;
    case 'time':
      return network.time;
    case 'group-size':
      return String(network.groupSize);
    case 'pool':
      return network.pool;
    case 'rhythm':
      return String(network.rhythmWeeks);
    case 'digest':
      return network.digest;
    case 'quiet-hours':
      return `${network.quietHours.start}-${network.quietHours.end}`;
    case 'post-new-tips':
      return network.postNewTips ? 'on' : 'off';
    case 'share-notes':
      return network.shareNotes ? 'on' : 'off';
  }
}

function options(ctx: RequestContext, key: FormKey): SelectOption[] | null {
  const { t, locale } = ctx;
  const onOff = [
    { label: t('settings.on'), value: 'on' },
    { label: t('settings.off'), value: 'off' },
  ];
  switch (key) {
    case 'locale':
      return [
        { label: t('value.locale.nl'), value: 'nl' },
        { label: t('value.locale.en'), value: 'en' },
      ];
    case 'cadence':
      return CADENCES.map((c) => ({ label: t(`value.cadence.${c}`), value: c }));
    case 'day':
      return WEEKDAYS.map((d) => ({ label: dayName(d, locale), value: d }));
    case 'digest':
      return [
        { label: t('settings.off'), value: 'off' },
        ...WEEKDAYS.map((d) => ({ label: dayName(d, locale), value: d })),
      ];
    case 'group-size':
      return [2, 3, 4, 5, 6].map((n) => ({ label: String(n), value: String(n) }));
    case 'pool':
      return POOLS.map((p) => ({ label: t(`value.pool.${p}`), value: p }));
    case 'post-new-tips':
    case 'share-notes':
      return onOff;
    default:
      return null;
  }
}

export function settingsForm(ctx: RequestContext, network: Network): Form {
  const fields: FormField[] = FORM_KEYS.map((key) => {
    const label = ctx.t(`settings.key.${key}`);
    const initial = currentValue(network, key);
    const choices = options(ctx, key);
    if (choices) return { type: 'select', id: key, label, options: choices, initial };
    if (key === 'purpose')
      return { type: 'text', id: key, label, multiline: true, optional: true, initial, maxLength: 500 };
    return { type: 'text', id: key, label, initial, maxLength: 60, placeholder: allowedText(ctx, key) };
  });
  return {
    formId: SETTINGS_FORM,
    title: ctx.t('settings.form.title'),
    submitLabel: ctx.t('settings.form.save'),
    cancelLabel: ctx.t('settings.form.cancel'),
    intro: ctx.t('settings.form.intro'),
    fields,
    state: network.id,
  };
}

async function coordinatorNetwork(ctx: RequestContext, networkId: string): Promise<Network | Reply> {
  const network = await ctx.tx.networks.get(ctx.installation.id, networkId);
  if (!network) return ctx.reply('error.expired');
  if (!(await isCoordinator(ctx, network))) return ctx.reply('error.coordinatorOnly');
  return network;
}

export async function openSettingsForm(ctx: RequestContext, networkId: string): Promise<Reply> {
  const found = await coordinatorNetwork(ctx, networkId);
  if ('kind' in found) return found;
  return { kind: 'form', form: settingsForm(ctx, found) };
}

/** Validates every field; saves all changes together, or none and says what to fix per field. */
export async function submitSettingsForm(
  ctx: RequestContext,
  networkId: string,
  values: Record<string, string>,
): Promise<Reply> {
  const found = await coordinatorNetwork(ctx, networkId);
  if ('kind' in found) return found;
  const network = found;

  const errors: Record<string, string> = {};
  let patch: Partial<NetworkSettings> = {};
  let changed = 0;
  for (const key of FORM_KEYS) {
    const raw = values[key];
    if (raw === undefined) continue;
    const value = raw.trim();
    if (value === currentValue(network, key).trim()) continue;
    if (options(ctx, key)?.every((o) => o.value !== value)) {
      errors[key] = ctx.t('settings.form.required');
      continue;
    }
    if (key === 'purpose' && value === '') {
      patch = { ...patch, purpose: '' };
      changed++;
      continue;
    }
    const result = parseSetting(key, value, network);
    if (result.ok) {
      patch = { ...patch, ...result.patch };
      changed++;
    } else if (result.error === 'missing_value') {
      errors[key] = ctx.t('settings.form.required');
    } else if (result.error === 'invalid') {
      errors[key] = ctx.t('settings.invalid', {
        key: ctx.t(`settings.key.${key}`),
        value: result.value.slice(0, 60),
        allowed:
          key === 'post-new-tips' || key === 'share-notes'
            ? ctx.t('settings.allowed.onoff')
            : ctx.t(`settings.allowed.${key}`),
      });
    }
  }
  if (Object.keys(errors).length > 0) return { kind: 'form-errors', errors };
  if (changed > 0) await ctx.tx.networks.updateSettings(ctx.installation.id, network.id, patch);
  const t = patch.locale && !ctx.member.locale ? ctx.translatorFor(patch.locale) : ctx.t;
  const text = t('settings.form.saved', { count: changed });
  return { kind: 'message', message: { text, blocks: [{ type: 'section', text }] } };
}
