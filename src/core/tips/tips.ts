/**
 * Tips: the network's shared sheet of lessons. `tip <text>` saves one (`#words` are tags), `tips
 * [words or #tag]` finds them (full text in the network's language), one upvote per member per tip,
 * and the author or a coordinator edits or deletes a tip from its buttons.
 */
import type { Translator } from '../../messages/i18n.js';
import { actions, button, context, type Form, type Message, mention, section } from '../../messages/model.js';
import { isCoordinator, type RequestContext } from '../context.js';
import type { Reply } from '../inputs.js';
import type { Locale, Member, Network } from '../types.js';
import type { TipRecord } from './ports.js';

export const TIP_UNDO = 'tip.undo';
export const TIP_EDIT = 'tip.edit';
export const TIP_DELETE = 'tip.delete';
export const TIP_UPVOTE = 'tip.upvote';
export const TIPS_MORE = 'tips.more';
export const TIP_FORM = 'tip.form';

export const MAX_TIP = 2_000;
export const PAGE_SIZE = 10;
/** The part of a search kept in a "more" button's value. */
const MAX_QUERY = 200;

const TAG = /(^|[^\p{L}\p{N}_&#])#([\p{L}\p{N}][\p{L}\p{N}_-]*)/gu;

/** `#Words` in a text, lower-cased with accents kept, each once, in order of appearance. */
export function extractTags(text: string): string[] {
  const tags: string[] = [];
  for (const m of text.normalize('NFC').matchAll(TAG)) {
    const tag = m[2]!.toLocaleLowerCase('nl');
    if (!tags.includes(tag)) tags.push(tag);
  }
  return tags;
}

/** A search: `#tags` must all be present; the other words are searched as full text. */
export function parseQuery(query: string): { words: string; tags: string[] } {
  const tags = extractTags(query);
  const words = query.normalize('NFC').replace(TAG, '$1').replace(/\s+/g, ' ').trim();
  return { words, tags };
}

export const searchConfig = (locale: Locale): 'dutch' | 'english' => (locale === 'nl' ? 'dutch' : 'english');

type TipCheck = { ok: true; text: string } | { ok: false; reply: Reply };

function checkText(ctx: RequestContext, raw: string): TipCheck {
  const text = raw.normalize('NFC').trim();
  if (text === '') return { ok: false, reply: ctx.reply('tip.empty') };
  if (text.length > MAX_TIP)
    return { ok: false, reply: ctx.reply('tip.tooLong', { max: MAX_TIP, length: text.length }) };
  return { ok: true, text };
}

function authorName(t: Translator, author: Member | undefined): string {
  return author ? mention(author.platformUserId, author.displayName) : t('tips.anonymous');
}

/** A tip as shown in the channel (`post-new-tips`) and in the digest. */
export function tipLine(t: Translator, tip: TipRecord, author: Member | undefined): string {
  return `“${tip.text}”\n— ${authorName(t, author)}`;
}

export async function tipCommand(ctx: RequestContext, raw: string, now: Date): Promise<Reply> {
  const network = ctx.network;
  if (!network) return ctx.reply('error.noNetwork');
  const checked = checkText(ctx, raw);
  if (!checked.ok) return checked.reply;
  const tip = await ctx.tx.tips.create({
    installationId: ctx.installation.id,
    networkId: network.id,
    authorId: ctx.member.id,
    text: checked.text,
    tags: extractTags(checked.text),
    searchConfig: searchConfig(network.locale),
    createdAt: now,
  });
  if (network.postNewTips) await postTip(ctx, network, tip);
  const { t } = ctx;
  const saved = t('tip.saved', { tags: tip.tags.length > 0 ? tip.tags.map((g) => `#${g}`).join(' ') : '' });
  return {
    kind: 'message',
    message: {
      text: saved,
      blocks: [
        section(saved),
        context(tip.text),
        actions(button(t('tip.addTags'), TIP_EDIT, tip.id), button(t('tip.undo'), TIP_UNDO, tip.id, 'danger')),
      ],
    },
  };
}

export async function postTip(ctx: RequestContext, network: Network, tip: TipRecord): Promise<void> {
  const t = ctx.translatorFor(network.locale);
  const text = `${t('tip.posted')}\n${tipLine(t, tip, ctx.member)}`;
  await ctx.tx.outbox.enqueue({
    installationId: ctx.installation.id,
    networkId: network.id,
    key: `tip:${tip.id}:post`,
    target: { kind: 'channel', channelId: network.channelId },
    message: {
      text,
      blocks: [section(text), actions(button(t('tips.upvote', { count: tip.upvotes }), TIP_UPVOTE, tip.id))],
    },
  });
}

/** The tip and whether this member may change it (its author, or a coordinator of its network). */
async function editable(ctx: RequestContext, tipId: string): Promise<{ tip: TipRecord } | { reply: Reply }> {
  const tip = await ctx.tx.tips.get(ctx.installation.id, tipId);
  if (!tip) return { reply: ctx.reply('tip.gone') };
  if (tip.authorId === ctx.member.id) return { tip };
  const network = await ctx.tx.networks.get(ctx.installation.id, tip.networkId);
  if (network && (await isCoordinator(ctx, network))) return { tip };
  return { reply: ctx.reply('tip.notYours') };
}

export async function undoTip(ctx: RequestContext, tipId: string): Promise<Reply> {
  const found = await editable(ctx, tipId);
  if ('reply' in found) return found.reply;
  await ctx.tx.tips.remove(ctx.installation.id, found.tip.id);
  const text = ctx.t('tip.undone');
  return { kind: 'update', message: { text, blocks: [section(text)] } };
}

export async function deleteTip(ctx: RequestContext, tipId: string): Promise<Reply> {
  const found = await editable(ctx, tipId);
  if ('reply' in found) return found.reply;
  await ctx.tx.tips.remove(ctx.installation.id, found.tip.id);
  return ctx.reply('tip.deleted');
}

export function tipForm(ctx: RequestContext, tip: TipRecord): Form {
  const { t } = ctx;
  return {
    formId: TIP_FORM,
    title: t('tip.form.title'),
    submitLabel: t('profile.form.save'),
    cancelLabel: t('profile.form.cancel'),
    intro: t('tip.form.intro'),
    state: tip.id,
    fields: [
      {
        type: 'text',
        id: 'text',
        label: t('tip.form.text'),
        multiline: true,
        initial: tip.text,
        maxLength: MAX_TIP,
      },
      {
        type: 'text',
        id: 'tags',
        label: t('tip.form.tags'),
        optional: true,
        initial: tip.tags.map((g) => `#${g}`).join(' '),
        placeholder: '#start #dementie',
        maxLength: 300,
      },
    ],
  };
}

export async function openTipForm(ctx: RequestContext, tipId: string): Promise<Reply> {
  const found = await editable(ctx, tipId);
  if ('reply' in found) return found.reply;
  return { kind: 'form', form: tipForm(ctx, found.tip) };
}

export async function submitTipForm(
  ctx: RequestContext,
  tipId: string,
  values: Record<string, string>,
  now: Date,
): Promise<Reply> {
  const found = await editable(ctx, tipId);
  if ('reply' in found) return found.reply;
  const text = (values.text ?? found.tip.text).normalize('NFC').trim();
  if (text === '') return { kind: 'form-errors', errors: { text: ctx.t('settings.form.required') } };
  if (text.length > MAX_TIP)
    return { kind: 'form-errors', errors: { text: ctx.t('tip.tooLong', { max: MAX_TIP, length: text.length }) } };
  const extra = (values.tags ?? '')
    .split(/[\s,]+/)
    .filter((w) => w !== '')
    .map((w) => (w.startsWith('#') ? w : `#${w}`))
    .join(' ');
  const tags = [...new Set([...extractTags(text), ...extractTags(extra)])];
  await ctx.tx.tips.update(ctx.installation.id, found.tip.id, text, tags, now);
  return ctx.reply('tip.updated', { tags: tags.map((g) => `#${g}`).join(' ') });
}

export async function upvoteTip(ctx: RequestContext, tipId: string): Promise<Reply> {
  const tip = await ctx.tx.tips.get(ctx.installation.id, tipId);
  if (!tip) return ctx.reply('tip.gone');
  const counted = await ctx.tx.tips.upvote(ctx.installation.id, tip.id, ctx.member.id);
  return counted ? ctx.reply('tip.upvoted', { count: tip.upvotes + 1 }) : ctx.reply('tip.alreadyUpvoted');
}

/** `tips [words or #tag]`, ten at a time; `offset` comes from the "more" button. */
export async function tipsCommand(ctx: RequestContext, rawQuery: string, offset = 0): Promise<Reply> {
  const network = ctx.network;
  if (!network) return ctx.reply('error.noNetwork');
  const query = rawQuery.trim().slice(0, MAX_QUERY);
  const { words, tags } = parseQuery(query);
  const found = await ctx.tx.tips.search(ctx.installation.id, network.id, {
    words,
    tags,
    searchConfig: searchConfig(network.locale),
    offset,
    limit: PAGE_SIZE + 1,
  });
  const page = found.slice(0, PAGE_SIZE);
  const { t } = ctx;
  if (page.length === 0) return ctx.reply(offset === 0 ? (query ? 'tips.none' : 'tips.empty') : 'tips.noMore');
  const authors = new Map(
    (
      await ctx.tx.members.getMany(ctx.installation.id, [
        ...new Set(page.map((p) => p.authorId).filter((a): a is string => a !== null)),
      ])
    ).map((m) => [m.id, m]),
  );
  const coordinator = await isCoordinator(ctx, network);
  const header = query
    ? t('tips.found', { query, from: offset + 1, to: offset + page.length })
    : t('tips.newest', { from: offset + 1, to: offset + page.length });
  const blocks: Message['blocks'] = [section(header)];
  for (const tip of page) {
    const meta = [
      authorName(t, tip.authorId ? authors.get(tip.authorId) : undefined),
      ...(tip.tags.length > 0 ? [tip.tags.map((g) => `#${g}`).join(' ')] : []),
      t('tips.votes', { count: tip.upvotes }),
    ].join(' · ');
    blocks.push({ type: 'divider' }, section(tip.text), context(meta));
    const mine = tip.authorId === ctx.member.id || coordinator;
    blocks.push(
      actions(
        button(t('tips.upvote', { count: tip.upvotes }), TIP_UPVOTE, tip.id),
        ...(mine
          ? [button(t('tips.edit'), TIP_EDIT, tip.id), button(t('tips.delete'), TIP_DELETE, tip.id, 'danger')]
          : []),
      ),
    );
  }
  if (found.length > PAGE_SIZE)
    blocks.push(actions(button(t('tips.more'), TIPS_MORE, `${offset + PAGE_SIZE}|${query}`)));
  return { kind: 'message', message: { text: header, blocks } };
}

export function moreTips(ctx: RequestContext, value: string): Promise<Reply> {
  const bar = value.indexOf('|');
  const offset = Number(value.slice(0, bar));
  if (bar < 0 || !Number.isInteger(offset) || offset < 0) return Promise.resolve(ctx.reply('error.expired'));
  return tipsCommand(ctx, value.slice(bar + 1), offset);
}
