/**
 * "Did you meet?": yes / not yet / we skip. After yes, "what did you learn about your new
 * connection?" and "may we share it in the channel?" (a form). Answers are recorded at once.
 */
import { section } from '../../messages/model.js';
import type { RequestContext } from '../context.js';
import type { Reply } from '../inputs.js';
import type { CheckInAnswer } from './ports.js';

export const NOTE_FORM = 'checkin.note';

const ANSWERS: readonly CheckInAnswer[] = ['yes', 'not_yet', 'skipped'];
const MAX_NOTE = 1_000;

function parseValue(value: string): { groupId: string; answer: CheckInAnswer } | null {
  const [groupId, answer] = value.split(':');
  if (!groupId || !answer || !ANSWERS.includes(answer as CheckInAnswer)) return null;
  return { groupId, answer: answer as CheckInAnswer };
}

export async function answerCheckIn(ctx: RequestContext, value: string, now: Date): Promise<Reply> {
  const parsed = parseValue(value);
  if (!parsed) return ctx.reply('error.expired');
  const recorded = await ctx.tx.pairing.recordCheckIn(
    ctx.installation.id,
    parsed.groupId,
    ctx.member.id,
    parsed.answer,
    now,
  );
  if (!recorded) return ctx.reply('checkin.notInGroup');
  const thanks = ctx.t(
    parsed.answer === 'yes'
      ? 'checkin.thanks.yes'
      : parsed.answer === 'not_yet'
        ? 'checkin.thanks.notYet'
        : 'checkin.thanks.skipped',
  );
  if (parsed.answer !== 'yes') return { kind: 'update', message: { text: thanks, blocks: [section(thanks)] } };
  const { t } = ctx;
  return {
    kind: 'form',
    form: {
      formId: NOTE_FORM,
      title: t('note.form.title'),
      submitLabel: t('profile.form.save'),
      cancelLabel: t('profile.form.cancel'),
      intro: `${thanks}\n${t('note.form.intro')}`,
      state: parsed.groupId,
      fields: [
        { type: 'text', id: 'note', label: t('note.field.note'), multiline: true, maxLength: MAX_NOTE },
        {
          type: 'select',
          id: 'share',
          label: t('note.field.share'),
          options: [
            { label: t('note.share.no'), value: 'no' },
            { label: t('note.share.yes'), value: 'yes' },
          ],
          initial: 'no',
        },
      ],
    },
  };
}

export async function submitNote(ctx: RequestContext, groupId: string, values: Record<string, string>): Promise<Reply> {
  const note = (values.note ?? '').trim();
  if (note === '') return { kind: 'form-errors', errors: { note: ctx.t('settings.form.required') } };
  if (note.length > MAX_NOTE) return { kind: 'form-errors', errors: { note: ctx.t('note.tooLong') } };
  const share = values.share === 'yes';
  const saved = await ctx.tx.pairing.saveNote(ctx.installation.id, groupId, ctx.member.id, note, share);
  if (!saved) return ctx.reply('checkin.notInGroup');
  return ctx.reply(share ? 'note.saved.shared' : 'note.saved.private');
}
