/**
 * `ask "<question>"`: a coordinator puts a question to the network. The channel gets it with an
 * "add a tip" button (a form); answers are tips linked to the question, and the posted question
 * shows how many it has (updated through the outbox once the question's message was sent).
 */
import type { Translator } from '../../messages/i18n.js';
import { actions, button, context, type Message, section } from '../../messages/model.js';
import { isCoordinator, type RequestContext } from '../context.js';
import type { Reply } from '../inputs.js';
import type { TipQuestion } from './ports.js';
import { extractTags, MAX_TIP, postTip, searchConfig } from './tips.js';

export const ASK_ANSWER = 'ask.answer';
export const ASK_FORM = 'ask.form';
export const MAX_QUESTION = 500;

const questionKey = (q: TipQuestion) => `ask:${q.id}`;

export function questionMessage(t: Translator, q: TipQuestion, answers: number): Message {
  const text = `❓ *${q.text}*`;
  return {
    text: q.text,
    blocks: [
      section(`${t('ask.lead')}\n${text}`),
      context(t('ask.count', { count: answers })),
      actions(button(t('ask.answer'), ASK_ANSWER, q.id, 'primary')),
    ],
  };
}

export async function askCommand(ctx: RequestContext, raw: string, now: Date): Promise<Reply> {
  const network = ctx.network;
  if (!network) return ctx.reply('error.noNetwork');
  if (!(await isCoordinator(ctx, network))) return ctx.reply('error.coordinatorOnly');
  const text = raw
    .normalize('NFC')
    .replace(/^["“”„']+|["“”„']+$/g, '')
    .trim();
  if (text === '') return ctx.reply('error.malformed', { usage: ctx.t('usage.ask') });
  if (text.length > MAX_QUESTION) return ctx.reply('ask.tooLong', { max: MAX_QUESTION });
  const question = await ctx.tx.tips.createQuestion({
    installationId: ctx.installation.id,
    networkId: network.id,
    askedBy: ctx.member.id,
    text,
    createdAt: now,
  });
  await ctx.tx.outbox.enqueue({
    installationId: ctx.installation.id,
    networkId: network.id,
    key: questionKey(question),
    target: { kind: 'channel', channelId: network.channelId },
    message: questionMessage(ctx.translatorFor(network.locale), question, 0),
  });
  return ctx.reply('ask.posted');
}

export async function openAnswerForm(ctx: RequestContext, questionId: string): Promise<Reply> {
  const question = await ctx.tx.tips.getQuestion(ctx.installation.id, questionId);
  if (!question) return ctx.reply('error.expired');
  const { t } = ctx;
  return {
    kind: 'form',
    form: {
      formId: ASK_FORM,
      title: t('ask.form.title'),
      submitLabel: t('profile.form.save'),
      cancelLabel: t('profile.form.cancel'),
      intro: question.text,
      state: question.id,
      fields: [{ type: 'text', id: 'text', label: t('tip.form.text'), multiline: true, maxLength: MAX_TIP }],
    },
  };
}

export async function submitAnswer(
  ctx: RequestContext,
  questionId: string,
  values: Record<string, string>,
  now: Date,
): Promise<Reply> {
  const question = await ctx.tx.tips.getQuestion(ctx.installation.id, questionId);
  const network = question ? await ctx.tx.networks.get(ctx.installation.id, question.networkId) : null;
  if (!question || !network) return ctx.reply('error.expired');
  const text = (values.text ?? '').normalize('NFC').trim();
  if (text === '') return { kind: 'form-errors', errors: { text: ctx.t('settings.form.required') } };
  if (text.length > MAX_TIP)
    return { kind: 'form-errors', errors: { text: ctx.t('tip.tooLong', { max: MAX_TIP, length: text.length }) } };
  const tip = await ctx.tx.tips.create({
    installationId: ctx.installation.id,
    networkId: network.id,
    authorId: ctx.member.id,
    questionId: question.id,
    text,
    tags: extractTags(text),
    searchConfig: searchConfig(network.locale),
    createdAt: now,
  });
  if (network.postNewTips) await postTip(ctx, network, tip);
  const count = await ctx.tx.tips.answerCount(ctx.installation.id, question.id);
  // The question's message can be updated once it was sent; until then the next answer updates it.
  const ref = await ctx.tx.outbox.sentRef(ctx.installation.id, questionKey(question));
  if (ref) {
    await ctx.tx.outbox.enqueue({
      installationId: ctx.installation.id,
      networkId: network.id,
      key: `${questionKey(question)}:count:${count}`,
      target: { kind: 'update', ref },
      message: questionMessage(ctx.translatorFor(network.locale), question, count),
    });
  }
  return ctx.reply('ask.answered', { count });
}
