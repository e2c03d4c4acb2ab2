/**
 * A member's profile: organisation (from the network's list, or a new one), role, what they can
 * share, what they want to learn, and a nickname (an alliterative suggestion to start from).
 */
import type { Form, FormField } from '../../messages/model.js';
import type { RequestContext } from '../context.js';
import type { Reply } from '../inputs.js';
import type { Member, Network, Organisation } from '../types.js';
import { suggestNickname } from './nickname.js';

export const PROFILE_OPEN = 'profile.open';
export const PROFILE_FORM = 'profile.form';

const OTHER = '__other';
const MAX_TEXT = 300;
const MAX_ORG = 100;

function profileForm(ctx: RequestContext, network: Network, member: Member, orgs: Organisation[]): Form {
  const { t } = ctx;
  const fields: FormField[] = [];
  if (orgs.length > 0) {
    fields.push({
      type: 'select',
      id: 'organisation',
      label: t('profile.field.organisation'),
      optional: true,
      options: [
        ...orgs.map((o) => ({ label: o.name, value: o.id })),
        { label: t('profile.option.other'), value: OTHER },
      ],
      ...(member.organisationId && orgs.some((o) => o.id === member.organisationId)
        ? { initial: member.organisationId }
        : {}),
    });
  }
  fields.push(
    {
      type: 'text',
      id: 'newOrganisation',
      label: orgs.length > 0 ? t('profile.field.newOrganisation') : t('profile.field.organisation'),
      optional: true,
      maxLength: MAX_ORG,
    },
    {
      type: 'text',
      id: 'role',
      label: t('profile.field.role'),
      optional: true,
      maxLength: 100,
      initial: member.role ?? '',
      placeholder: t('profile.placeholder.role'),
    },
    {
      type: 'text',
      id: 'canShare',
      label: t('profile.field.canShare'),
      optional: true,
      multiline: true,
      maxLength: MAX_TEXT,
      initial: member.canShare ?? '',
      placeholder: t('profile.placeholder.canShare'),
    },
    {
      type: 'text',
      id: 'wantsToLearn',
      label: t('profile.field.wantsToLearn'),
      optional: true,
      multiline: true,
      maxLength: MAX_TEXT,
      initial: member.wantsToLearn ?? '',
      placeholder: t('profile.placeholder.wantsToLearn'),
    },
    {
      type: 'text',
      id: 'nickname',
      label: t('profile.field.nickname'),
      optional: true,
      maxLength: 60,
      initial: member.nickname ?? suggestNickname(member.displayName, ctx.locale),
    },
  );
  return {
    formId: PROFILE_FORM,
    title: t('profile.form.title'),
    submitLabel: t('profile.form.save'),
    cancelLabel: t('profile.form.cancel'),
    intro: t('profile.form.intro'),
    fields,
    state: network.id,
  };
}

async function networkFor(ctx: RequestContext, networkId: string | null): Promise<Network | null> {
  if (networkId) return ctx.tx.networks.get(ctx.installation.id, networkId);
  return ctx.network;
}

export async function openProfileForm(ctx: RequestContext, networkId: string | null): Promise<Reply> {
  const network = await networkFor(ctx, networkId);
  if (!network) return ctx.reply('profile.needNetwork');
  const orgs = await ctx.tx.organisations.list(ctx.installation.id, network.id);
  return { kind: 'form', form: profileForm(ctx, network, ctx.member, orgs) };
}

const clean = (v: string | undefined) => (v ?? '').trim().replace(/[ \t]+/g, ' ');

export async function submitProfileForm(
  ctx: RequestContext,
  networkId: string,
  values: Record<string, string>,
): Promise<Reply> {
  const network = await networkFor(ctx, networkId);
  if (!network) return ctx.reply('error.expired');
  const errors: Record<string, string> = {};
  for (const key of ['canShare', 'wantsToLearn'] as const) {
    if (clean(values[key]).length > MAX_TEXT) errors[key] = ctx.t('profile.tooLong');
  }
  for (const key of ['role', 'nickname'] as const)
    if (clean(values[key]).length > 100) errors[key] = ctx.t('profile.tooLong');
  const newOrg = clean(values.newOrganisation);
  if (newOrg.length > MAX_ORG) errors.newOrganisation = ctx.t('profile.orgTooLong');
  if (Object.keys(errors).length > 0) return { kind: 'form-errors', errors };

  const orgs = await ctx.tx.organisations.list(ctx.installation.id, network.id);
  let organisationId: string | null | undefined;
  const picked = clean(values.organisation);
  if (newOrg) {
    // A new name is added to the network's list (coordinators can tidy it with `org`).
    const existing = orgs.find((o) => o.name.toLowerCase() === newOrg.toLowerCase());
    organisationId =
      existing?.id ?? (await ctx.tx.organisations.add(ctx.installation.id, network.id, newOrg))?.id ?? null;
  } else if (picked && picked !== OTHER && orgs.some((o) => o.id === picked)) {
    organisationId = picked;
  }
  // A field the platform did not send keeps its value; an emptied field is cleared.
  const optional = (key: string) => (key in values ? clean(values[key]) || null : undefined);
  await ctx.tx.members.updateProfile(ctx.installation.id, ctx.member.id, {
    ...(organisationId !== undefined ? { organisationId } : {}),
    role: optional('role'),
    canShare: optional('canShare'),
    wantsToLearn: optional('wantsToLearn'),
    nickname: optional('nickname'),
  });
  return ctx.reply('profile.saved');
}
